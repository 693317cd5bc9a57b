// Tests wait for the event they need (a request the emulator received, a file written), never
// for a guessed number of milliseconds: a poll with a deadline, failing with what was awaited.
import { setTimeout as delay } from 'node:timers/promises';
import type { Emulator } from './emulator.js';

export interface WaitOptions {
  /** Fail after this long. Default 30 s: a loaded machine is slow, a hang is not. */
  timeoutMs?: number;
  /** Time between two looks. Default 25 ms. */
  intervalMs?: number;
}

/** Resolves once `condition` holds; throws `timed out waiting for WHAT` at the deadline. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, options: WaitOptions = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (await condition()) return;
    if (Date.now() >= deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(options.intervalMs ?? 25);
  }
}

/** Resolves once the emulator has received OPERATION at least `count` times (since its counts were reset). */
export async function waitForRequests(emulator: Emulator, operation: string, count = 1, options: WaitOptions = {}): Promise<void> {
  await waitFor(`${count} ${operation} request(s)`, async () => ((await emulator.requestCounts())[operation] ?? 0) >= count, options);
}
