// One status line on stderr, rewritten in place with \r: bytes sent, rate, parts, and
// an ETA when the size is known. Shown only when stderr is a terminal (or forced).
import { formatByteSize } from '../byteSize.js';

const REDRAW_MS = 250;

export interface ProgressOptions {
  enabled: boolean;
  totalBytes?: number;
}

export class UploadProgress {
  readonly #enabled: boolean;
  readonly #totalBytes: number | undefined;
  readonly #startedAt = Date.now();
  #sentBytes = 0;
  #sentParts = 0;
  #lastDrawAt = 0;
  #drawn = false;

  constructor(options: ProgressOptions) {
    this.#enabled = options.enabled;
    this.#totalBytes = options.totalBytes;
  }

  partSent(bytes: number): void {
    this.#sentBytes += bytes;
    this.#sentParts++;
    if (!this.#enabled) return;
    const now = Date.now();
    if (now - this.#lastDrawAt < REDRAW_MS) return;
    this.#lastDrawAt = now;
    this.#draw(now);
  }

  #draw(now: number): void {
    const seconds = Math.max((now - this.#startedAt) / 1000, 0.001);
    const rate = this.#sentBytes / seconds;
    let line = `glacier: sent ${formatByteSize(this.#sentBytes)}`;
    if (this.#totalBytes !== undefined) line += ` of ${formatByteSize(this.#totalBytes)}`;
    line += `, ${this.#sentParts} part${this.#sentParts === 1 ? '' : 's'}, ${formatByteSize(rate)}/s`;
    if (this.#totalBytes !== undefined && rate > 0) {
      line += `, ETA ${formatDuration(Math.max(this.#totalBytes - this.#sentBytes, 0) / rate)}`;
    }
    process.stderr.write(`\r\x1b[K${line}`);
    this.#drawn = true;
  }

  /** Erase the line, so that the next message starts on a clean one. */
  clear(): void {
    if (this.#drawn) process.stderr.write('\r\x1b[K');
    this.#drawn = false;
  }
}

function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(rest).padStart(2, '0')}s` : `${rest}s`;
}
