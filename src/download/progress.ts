// A one-line progress display on a TTY stderr; silent otherwise (scripts, git-annex).
import { MiB } from '../streams/treeHash.js';

export interface Progress {
  add(bytes: number): void;
  done(): void;
}

const SILENT: Progress = { add: () => undefined, done: () => undefined };

export function progressLine(label: string, total: number, alreadyDone = 0): Progress {
  if (process.stderr.isTTY !== true) return SILENT;
  const started = Date.now();
  let bytes = alreadyDone;
  let shownAt = 0;
  const show = (): void => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const rate = (bytes - alreadyDone) / MiB / seconds;
    const percent = total > 0 ? Math.floor((bytes / total) * 100) : 100;
    process.stderr.write(`\rglacier: ${label}: ${(bytes / MiB).toFixed(1)} of ${(total / MiB).toFixed(1)} MiB (${percent}%) ${rate.toFixed(1)} MiB/s \x1b[K`);
  };
  return {
    add(count: number): void {
      bytes += count;
      const now = Date.now();
      if (now - shownAt >= 250) {
        shownAt = now;
        show();
      }
    },
    done(): void {
      process.stderr.write('\r\x1b[K');
    },
  };
}
