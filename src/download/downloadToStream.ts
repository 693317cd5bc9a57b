// -o-: segments go to stdout in order, each only after its verification. A failure part-way
// leaves stdout holding verified segments only and the command exits non-zero: never a
// silent truncation. A reader that stops early (EPIPE) ends the command quietly. An
// interruption stops it at once, even while a slow reader holds a segment back.
import type { Writable } from 'node:stream';
import { quote } from '../report/quote.js';
import { unlessAborted } from '../abortable.js';
import { Interrupted, VerificationError } from '../errors.js';
import { TreeHashCombiner } from '../streams/treeHash.js';
import type { DownloadPlan } from './plan.js';
import { segmentsFrom } from './segments.js';
import { verifiedSegments } from './verifiedSegments.js';

export async function downloadToStream(plan: DownloadPlan, sink: Writable): Promise<void> {
  const combiner = new TreeHashCombiner();
  const progress = plan.reporter.progress(quote(plan.label), plan.outputSize);
  // Write errors (EPIPE) arrive through the write callbacks below; without a listener the
  // 'error' event would crash the process with a trace.
  const ignore = (): void => undefined;
  sink.on('error', ignore);
  const interrupted = (): Interrupted =>
    new Interrupted(`interrupted; standard output holds verified segments of ${quote(plan.label)} only: run the same command again for the whole archive`);
  try {
    const segments = segmentsFrom(0, plan.outputSize, plan.segmentSize);
    for await (const verified of verifiedSegments(plan, segments)) {
      await unlessAborted(writeWithBackpressure(sink, verified.bytes), plan.signal, interrupted);
      combiner.push(verified.root);
      progress.advance(verified.segment.length);
    }
  } catch (failure) {
    throw plan.signal.aborted ? interrupted() : failure;
  } finally {
    progress.finish();
    sink.off('error', ignore);
  }
  const root = combiner.digest().toString('hex');
  if (root !== plan.expectedTreeHash.toLowerCase()) {
    throw new VerificationError(`${quote(plan.label)}: tree hash of the download ${root} differs from Glacier's ${plan.expectedTreeHash}`);
  }
  progress.finish('retrieved');
}

/** Resolves once the sink is done with `bytes` (their buffer is reused): one segment at a time in the sink. */
function writeWithBackpressure(sink: Writable, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (sink.destroyed) {
      reject(Object.assign(new Error('stdout closed'), { code: 'EPIPE' }));
      return;
    }
    sink.write(bytes, (failure) => (failure ? reject(failure) : resolve()));
  });
}
