// -o FILE: segments are written at their offsets into a partial file beside the target,
// each only after its verification, and recorded in the sidecar (partialFile.ts). When the
// whole matches the job's tree hash the file is fsynced and renamed into place, so FILE
// either does not change or holds exactly the archive. The partial file is private (0600)
// while it grows; the finished file gets the mode a new file gets under the umask. rename
// replaces whatever entry is at FILE, a symlink included, and never writes through it.
// Stopping mid-segment on an interruption is safe: the sidecar lists a segment only after
// its bytes were written, and a resumed run re-hashes every listed segment anyway.
import { open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { quote } from '../report/quote.js';
import { describeAwsError, isAwsError } from '../aws/describeAwsError.js';
import { FailureError, Interrupted, VerificationError } from '../errors.js';
import { TreeHashCombiner } from '../streams/treeHash.js';
import { discardPartial, openPartial, partialPaths } from './partialFile.js';
import type { DownloadPlan } from './plan.js';
import { segmentCount, segmentsFrom } from './segments.js';
import { verifiedSegments } from './verifiedSegments.js';

export async function downloadToFile(plan: DownloadPlan, target: string): Promise<void> {
  const paths = partialPaths(target);
  const combiner = new TreeHashCombiner();
  const { data, sidecar, verified: first } = await openPartial(paths, plan, combiner);
  const total = segmentCount(plan.outputSize, plan.segmentSize);
  if (first > 0) plan.reporter.info(`resuming ${quote(plan.label)}: ${first} of ${total} segments already verified on disk`);
  const alreadyDone = Math.min(first * plan.segmentSize, plan.outputSize);
  const progress = plan.reporter.progress(quote(plan.label), plan.outputSize, alreadyDone);
  try {
    const segments = segmentsFrom(first, plan.outputSize, plan.segmentSize);
    for await (const verified of verifiedSegments(plan, segments)) {
      await writeAt(data, verified.bytes, verified.segment.start);
      await sidecar.write(`${verified.segment.index} ${verified.root.toString('hex')}\n`);
      combiner.push(verified.root);
      progress.advance(verified.segment.length);
    }
    await data.truncate(plan.outputSize);
    await data.chmod(0o666 & ~process.umask());
    await data.sync();
  } catch (failure) {
    if (plan.signal.aborted) {
      throw new Interrupted(`interrupted; the verified part of ${quote(plan.label)} stays in ${paths.data}: run the same command again to resume`);
    }
    throw diskFailure(failure, plan.label, paths.data) ?? withResumeHint(failure, plan.label, paths.data);
  } finally {
    progress.finish();
    await data.close();
    await sidecar.close();
  }
  const root = combiner.digest().toString('hex');
  if (root !== plan.expectedTreeHash.toLowerCase()) {
    await discardPartial(paths);
    throw new VerificationError(`${quote(plan.label)}: tree hash of the download ${root} differs from Glacier's ${plan.expectedTreeHash}; nothing was written to ${quote(target)}`);
  }
  await rename(paths.data, target);
  await syncDirectory(dirname(target));
  await discardPartial(paths);
  progress.finish('retrieved');
}

// The disk said no: the verified part stays, and the same command resumes once there is room.
const DISK_FAILURES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EIO', 'EROFS']);

function diskFailure(failure: unknown, label: string, partialPath: string): FailureError | undefined {
  const code = (failure as NodeJS.ErrnoException | null)?.code;
  if (code === undefined || !DISK_FAILURES.has(code)) return undefined;
  return new FailureError(
    `cannot write ${partialPath}: ${(failure as Error).message}; the verified part of ${quote(label)} stays there: make room and run the same command again to resume`,
  );
}

async function writeAt(file: FileHandle, bytes: Buffer, position: number): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    done += (await file.write(bytes, done, bytes.length - done, position + done)).bytesWritten;
  }
}

async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } catch {
    // Some file systems cannot fsync a directory; the rename is as durable as they allow.
  } finally {
    await directory.close();
  }
}

/** A failure the network gave up on leaves the verified segments on disk: say how to go on. */
function withResumeHint(failure: unknown, label: string, partialPath: string): unknown {
  if (failure instanceof VerificationError || !(failure instanceof Error) || (failure as { code?: string }).code === 'EPIPE') return failure;
  const why = isAwsError(failure) ? describeAwsError(failure) : failure.message;
  return new FailureError(`${why}; the verified part of ${quote(label)} stays in ${partialPath}: run the same command again to resume`);
}
