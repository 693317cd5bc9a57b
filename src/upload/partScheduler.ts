// The order of a multipart upload's work: parts are taken in reading order, at most
// `concurrency` of them in flight while the next one is read. The first failure (a part's
// sending, or the reading) stops it, and so does the interruption signal; either way no
// further part is read, and the parts in flight settle before the caller hears of it, so
// every part that was stored has been recorded and the upload can be resumed.
import { unlessAborted } from '../abortable.js';

export interface PartSchedule<P extends { last: boolean }> {
  /** Parts in flight at once. */
  concurrency: number;
  /** Aborted on an interruption: nothing more is read or sent. */
  signal: AbortSignal;
  /**
   * Called once for each part, in reading order, before the next is read: the sending of
   * the part, or undefined when it needs none (stored by an earlier run). Throwing stops
   * the schedule with that failure, as a failed sending does.
   */
  take(part: P): Promise<void> | undefined;
}

/** Why the upload stopped short of its last part, leaving it resumable. */
export class UploadStopped extends Error {
  constructor(
    readonly reason: unknown,
    readonly interrupted: boolean,
  ) {
    super('upload stopped');
  }
}

const READING_STOPPED = new Error('reading stopped');

/**
 * Takes `first` and every part `rest` yields until the last one; resolves once every
 * sending succeeded, else throws UploadStopped after the sendings in flight settled.
 */
export async function scheduleParts<P extends { last: boolean }>(first: P, rest: AsyncIterator<P>, schedule: PartSchedule<P>): Promise<void> {
  const { signal } = schedule;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  // A part that fails must end the upload even while reading waits on a stalled input.
  const partFailed = new AbortController();
  const stopReading = AbortSignal.any([signal, partFailed.signal]);
  const fail = (error: unknown): void => {
    failure ??= error;
    partFailed.abort();
  };

  let part: P | undefined = first;
  while (part !== undefined) {
    let sending: Promise<void> | undefined;
    try {
      sending = schedule.take(part);
    } catch (error) {
      fail(error);
      break;
    }
    if (sending !== undefined) {
      const tracked: Promise<void> = sending.catch(fail).finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    }
    if (part.last) break;
    while (inFlight.size >= schedule.concurrency && failure === undefined) await Promise.race(inFlight);
    if (failure !== undefined || signal.aborted) break;
    try {
      const next: IteratorResult<P> = await unlessAborted(rest.next(), stopReading, () => READING_STOPPED);
      part = next.done === true ? undefined : next.value;
    } catch (error) {
      if (error !== READING_STOPPED) fail(error);
      break;
    }
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw new UploadStopped(failure, false);
  if (signal.aborted) throw new UploadStopped(undefined, true);
}
