// The emulator's notion of "now": real time plus an offset that the admin endpoint
// advances, persisted so that a restart keeps jobs and inventories where they were.
import { readJson, writeJsonAtomic } from './store/files.js';

interface ClockFile {
  offsetMs: number;
}

export class VirtualClock {
  #offsetMs = 0;

  private constructor(readonly path: string) {}

  static async open(path: string): Promise<VirtualClock> {
    const clock = new VirtualClock(path);
    const saved = await readJson<ClockFile>(path);
    if (saved !== undefined && Number.isFinite(saved.offsetMs)) clock.#offsetMs = saved.offsetMs;
    return clock;
  }

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  async advance(seconds: number): Promise<void> {
    this.#offsetMs += Math.round(seconds * 1000);
    await writeJsonAtomic(this.path, { offsetMs: this.#offsetMs } satisfies ClockFile);
  }
}

/** Glacier's date format: ISO 8601 with milliseconds, e.g. 2013-03-20T17:03:43.221Z. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** Inventories write dates in whole seconds, e.g. 2013-03-20T17:03:43Z. */
export function inventoryDate(ms: number): string {
  return wholeSeconds(isoDate(ms));
}

export function wholeSeconds(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}
