// --limit-rate: bytes per second shared by every connection of the process that moves
// bytes in one direction. Each transfer reserves its share of the schedule (its bytes at
// the rate, after every earlier reservation) and starts halfway through it: the transfer's
// own duration fills the rest, so over any stretch longer than a transfer the rate holds,
// however many connections share it.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseByteSize } from '../byteSize.js';
import { UsageError } from '../errors.js';

export class RateLimiter {
  readonly #bytesPerSecond: number;
  /** When the bytes reserved so far have all had their time. */
  #freeAt = 0;

  constructor(bytesPerSecond: number) {
    this.#bytesPerSecond = bytesPerSecond;
  }

  get bytesPerSecond(): number {
    return this.#bytesPerSecond;
  }

  /** Resolves when `bytes` more may be moved without exceeding the rate. */
  async take(bytes: number): Promise<void> {
    const now = performance.now();
    // Idle time is not saved up for a burst later.
    const start = Math.max(now, this.#freeAt);
    const share = (bytes / this.#bytesPerSecond) * 1000;
    this.#freeAt = start + share;
    await sleep(start + share / 2 - now);
  }
}

/** `50M`, `1G`, `500K` or bytes: per second. */
export function parseRate(text: string | undefined): RateLimiter | undefined {
  if (text === undefined) return undefined;
  const bytes = parseByteSize(text.replace(/\/s$/i, ''));
  if (bytes === undefined || bytes === 0) throw new UsageError(`--limit-rate takes bytes per second such as 50M, 500K or 1G, not '${text}'`);
  return new RateLimiter(bytes);
}
