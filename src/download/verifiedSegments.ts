// The segments of a job's output, `concurrency` fetched at once, handed out verified and in
// order. Each is fetched into a buffer of a pool of concurrency + 1 (the ones in flight and
// the one being written) that the hash worker reads in place. A yielded segment's bytes stay
// valid until the next one is asked for, when its buffer goes back to the pool; so memory
// stays bounded whatever the size.
//
// On the plan's signal the segments stop at once with Interrupted, even with a segment in
// flight (its retries can last minutes): its request is left to die with the process, and
// its buffer is never handed out again while the request may still write into it.
import { unlessAborted } from '../abortable.js';
import { Interrupted } from '../errors.js';
import { quote } from '../report/quote.js';
import { BufferPool } from '../streams/bufferPool.js';
import { fetchVerifiedSegment, type VerifiedSegment } from './fetchSegment.js';
import { inOrder } from './inOrder.js';
import { SegmentHasher } from './segmentHasher.js';
import type { DownloadPlan } from './plan.js';
import type { Segment } from './segments.js';

export async function* verifiedSegments(plan: DownloadPlan, segments: Iterable<Segment>): AsyncGenerator<VerifiedSegment> {
  const pool = new BufferPool(Math.min(plan.segmentSize, plan.outputSize), plan.concurrency + 1, { shared: true });
  const hasher = new SegmentHasher();
  const interrupted = (): Interrupted => new Interrupted(`interrupted while downloading ${quote(plan.label)}`);
  const fetchIntoPool = async (segment: Segment): Promise<VerifiedSegment> => {
    const buffer = await pool.acquire();
    if (plan.signal.aborted) {
      pool.release(buffer);
      throw interrupted();
    }
    const fetched = (async () => {
      await plan.limiter?.take(segment.length);
      return fetchVerifiedSegment(plan.output, segment, buffer, hasher);
    })();
    // Back to the pool only once nothing writes into it any more.
    fetched.catch(() => pool.release(buffer));
    return unlessAborted(fetched, plan.signal, interrupted);
  };
  try {
    for await (const verified of inOrder(segments, fetchIntoPool, plan.concurrency)) {
      try {
        yield verified;
      } finally {
        pool.release(verified.bytes);
      }
    }
  } finally {
    await hasher.close();
  }
}
