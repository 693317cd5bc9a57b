// Ctrl-C and SIGTERM during an upload: the first one asks the upload to stop cleanly
// (no new part starts, parts in flight finish and are recorded, the upload stays
// resumable); a second one exits at once.
import { EXIT_INTERRUPTED } from '../errors.js';

export interface Interruption {
  /** Aborted on the first SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  dispose(): void;
}

export function watchInterruption(): Interruption {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

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
