// The order of a multipart upload's work (src/upload/partScheduler.ts), driven by plain
// in-process parts and sendings the test settles itself: how many parts are in flight,
// when the next one is read, and how a failing part, a failed read and an interruption
// end it (no further part read, the parts in flight settled first).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scheduleParts, UploadStopped } from '../src/upload/partScheduler.js';

interface TestPart {
  index: number;
  last: boolean;
}

/** A promise the test settles, and whether it has been. */
class Sending {
  readonly promise: Promise<void>;
  settled = false;
  resolve!: () => void;
  reject!: (error: unknown) => void;

  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolve = () => {
        this.settled = true;
        resolve();
      };
      this.reject = (error) => {
        this.settled = true;
        reject(error);
      };
    });
  }
}

/** Parts 1..count-1 (part 0 is handed over first), read one at a time; `stallAfter` parts read, reading never ends. */
function partSource(count: number, options: { stallAfter?: number; failAt?: number } = {}): { rest: AsyncIterator<TestPart>; read: () => number } {
  let read = 1;
  const rest: AsyncIterator<TestPart> = {
    next: async () => {
      if (options.stallAfter !== undefined && read >= options.stallAfter) return new Promise<never>(() => undefined);
      if (options.failAt !== undefined && read === options.failAt) throw new Error('the input could not be read');
      if (read >= count) return { done: true, value: undefined };
      const index = read++;
      return { done: false, value: { index, last: index === count - 1 } };
    },
  };
  return { rest, read: () => read };
}

/** Lets every pending promise callback run. */
async function settle(): Promise<void> {
  for (let round = 0; round < 5; round++) await new Promise((resolve) => setImmediate(resolve));
}

/** A take() that starts one Sending per part and remembers it by index. */
function sendings(): { take: (part: TestPart) => Promise<void>; sent: Map<number, Sending>; inFlight: () => number[] } {
  const sent = new Map<number, Sending>();
  return {
    take: (part) => {
      const sending = new Sending();
      sent.set(part.index, sending);
      return sending.promise;
    },
    sent,
    inFlight: () => [...sent].filter(([, sending]) => !sending.settled).map(([index]) => index),
  };
}

async function stopped(schedule: Promise<void>): Promise<UploadStopped> {
  try {
    await schedule;
  } catch (error) {
    assert.ok(error instanceof UploadStopped, String(error));
    return error;
  }
  assert.fail('the schedule ended without stopping');
}

describe('part scheduler', () => {
  it('keeps at most `concurrency` parts in flight and reads the next part while they go', async () => {
    const { rest, read } = partSource(5);
    const { take, sent, inFlight } = sendings();
    let done = false;
    const schedule = scheduleParts({ index: 0, last: false }, rest, { concurrency: 2, signal: new AbortController().signal, take }).then(() => {
      done = true;
    });
    await settle();
    assert.deepEqual(inFlight(), [0, 1], 'part 1 is read and sent while part 0 is in flight');
    assert.equal(read(), 2, 'no third part is read while two are in flight');
    sent.get(1)?.resolve();
    await settle();
    assert.deepEqual(inFlight(), [0, 2], 'a settled part makes room for the next, in any order');
    sent.get(0)?.resolve();
    await settle();
    assert.deepEqual(inFlight(), [2, 3]);
    sent.get(2)?.resolve();
    await settle();
    assert.deepEqual(inFlight(), [3, 4]);
    assert.equal(done, false, 'the schedule waits for the last parts in flight');
    sent.get(4)?.resolve();
    await settle();
    assert.equal(done, false);
    sent.get(3)?.resolve();
    await schedule;
    assert.deepEqual([...sent.keys()].sort(), [0, 1, 2, 3, 4]);
  });

  it('does not count parts that need no sending against the concurrency', async () => {
    const { rest } = partSource(6);
    const taken: number[] = [];
    let inFlight = 0;
    let most = 0;
    const take = (part: TestPart): Promise<void> | undefined => {
      taken.push(part.index);
      if (part.index % 2 === 1) return undefined;
      inFlight++;
      most = Math.max(most, inFlight);
      return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        inFlight--;
      });
    };
    await scheduleParts({ index: 0, last: false }, rest, { concurrency: 1, signal: new AbortController().signal, take });
    assert.deepEqual(taken, [0, 1, 2, 3, 4, 5]);
    assert.equal(most, 1);
  });

  it('stops on a failing part: nothing more is read, the part in flight settles first', async () => {
    const { rest, read } = partSource(10);
    const { take, sent } = sendings();
    let ended = false;
    const schedule = stopped(scheduleParts({ index: 0, last: false }, rest, { concurrency: 2, signal: new AbortController().signal, take }));
    void schedule.then(() => {
      ended = true;
    });
    await settle();
    const failure = new Error('part 1 was refused');
    sent.get(0)?.reject(failure);
    await settle();
    assert.equal(ended, false, 'part 1 is still in flight: its outcome must be recorded before the upload stops');
    assert.equal(read(), 2, 'no part is read after the failure');
    sent.get(1)?.resolve();
    const stop = await schedule;
    assert.equal(stop.reason, failure);
    assert.equal(stop.interrupted, false);
    assert.deepEqual([...sent.keys()], [0, 1]);
  });

  it('keeps the first failure when a second part fails too', async () => {
    const { rest } = partSource(10);
    const { take, sent } = sendings();
    const schedule = stopped(scheduleParts({ index: 0, last: false }, rest, { concurrency: 2, signal: new AbortController().signal, take }));
    await settle();
    const first = new Error('first');
    sent.get(1)?.reject(first);
    await settle();
    sent.get(0)?.reject(new Error('second'));
    assert.equal((await schedule).reason, first);
  });

  it('stops on a failing part even while reading waits on a stalled input', async () => {
    const { rest } = partSource(10, { stallAfter: 1 });
    const { take, sent } = sendings();
    const schedule = stopped(scheduleParts({ index: 0, last: false }, rest, { concurrency: 4, signal: new AbortController().signal, take }));
    await settle();
    const failure = new Error('refused');
    sent.get(0)?.reject(failure);
    const stop = await schedule;
    assert.equal(stop.reason, failure);
    assert.equal(stop.interrupted, false);
  });

  it('stops when taking a part throws, after the parts in flight settle', async () => {
    const { rest } = partSource(10);
    const { take: send, sent } = sendings();
    const refusal = new Error('part 2 differs from the stored one');
    const take = (part: TestPart): Promise<void> => {
      if (part.index === 2) throw refusal;
      return send(part);
    };
    let ended = false;
    const schedule = stopped(scheduleParts({ index: 0, last: false }, rest, { concurrency: 4, signal: new AbortController().signal, take }));
    void schedule.then(() => {
      ended = true;
    });
    await settle();
    assert.equal(ended, false);
    sent.get(0)?.resolve();
    sent.get(1)?.resolve();
    const stop = await schedule;
    assert.equal(stop.reason, refusal);
  });

  it('stops when the input cannot be read', async () => {
    const { rest } = partSource(10, { failAt: 3 });
    const taken: number[] = [];
    const take = (part: TestPart): Promise<void> => {
      taken.push(part.index);
      return Promise.resolve();
    };
    const stop = await stopped(scheduleParts({ index: 0, last: false }, rest, { concurrency: 2, signal: new AbortController().signal, take }));
    assert.match(String(stop.reason), /could not be read/);
    assert.equal(stop.interrupted, false);
    assert.deepEqual(taken, [0, 1, 2]);
  });

  it('stops on an abort while reading stalls: no part taken after it, the part in flight settles first', async () => {
    const { rest } = partSource(10, { stallAfter: 2 });
    const { take, sent } = sendings();
    const interruption = new AbortController();
    let ended = false;
    const schedule = stopped(scheduleParts({ index: 0, last: false }, rest, { concurrency: 4, signal: interruption.signal, take }));
    void schedule.then(() => {
      ended = true;
    });
    await settle();
    sent.get(0)?.resolve();
    await settle();
    assert.deepEqual([...sent.keys()], [0, 1]);
    interruption.abort();
    await settle();
    assert.equal(ended, false, 'part 1 is still in flight');
    sent.get(1)?.resolve();
    const stop = await schedule;
    assert.equal(stop.interrupted, true);
    assert.equal(stop.reason, undefined);
    assert.deepEqual([...sent.keys()], [0, 1]);
  });

  it('stops on an abort while waiting for room: the next part is not read', async () => {
    const { rest, read } = partSource(10);
    const { take, sent } = sendings();
    const interruption = new AbortController();
    const schedule = stopped(scheduleParts({ index: 0, last: false }, rest, { concurrency: 1, signal: interruption.signal, take }));
    await settle();
    interruption.abort();
    sent.get(0)?.resolve();
    const stop = await schedule;
    assert.equal(stop.interrupted, true);
    assert.equal(read(), 1, 'nothing read after part 0');
    assert.deepEqual([...sent.keys()], [0]);
  });

  it('sends a lone last part and reads nothing more', async () => {
    const { rest, read } = partSource(10);
    const taken: number[] = [];
    await scheduleParts({ index: 0, last: true }, rest, {
      concurrency: 2,
      signal: new AbortController().signal,
      take: (part) => {
        taken.push(part.index);
        return Promise.resolve();
      },
    });
    assert.deepEqual(taken, [0]);
    assert.equal(read(), 1);
  });
});
