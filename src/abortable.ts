// Work that an interruption stops: the command layer hands every lower layer one
// AbortSignal (src/cli/interruption.ts), and a wait or a transfer ends through these.
import { setTimeout as delay } from 'node:timers/promises';

/** Settles with `work`, or rejects with `onAbort()` as soon as `signal` is aborted. */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (failure: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(failure);
      },
    );
  });
}

/** Waits `ms`, or rejects with `onAbort()` as soon as `signal` is aborted. */
export async function sleepUnlessAborted(ms: number, signal: AbortSignal, onAbort: () => Error): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (failure) {
    if (signal.aborted) throw onAbort();
    throw failure;
  }
}

/** The items of `source`, until `signal` is aborted: then `onAbort()` is thrown before the next one. */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal, onAbort: () => Error): AsyncGenerator<T> {
  for await (const item of source) {
    if (signal.aborted) throw onAbort();
    yield item;
  }
}
