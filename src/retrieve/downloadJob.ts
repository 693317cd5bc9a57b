// The output of a Succeeded retrieval job, delivered to its destination verified: segment
// by segment against GetJobOutput's tree hashes, then as a whole against the job's.
import type { GlacierJobDescription } from '@aws-sdk/client-glacier';
import type { Glacier } from '../aws/glacier.js';
import { isAwsErrorNamed } from '../aws/describeAwsError.js';
import { quote } from '../report/quote.js';
import { VerificationError } from '../errors.js';
import { downloadToFile } from '../download/downloadToFile.js';
import { downloadToStream } from '../download/downloadToStream.js';
import type { DownloadPlan } from '../download/plan.js';
import type { RateLimiter } from '../streams/rateLimiter.js';
import { MiB } from '../streams/treeHash.js';
import type { Services } from '../vaultContext.js';
import type { Destination } from './destination.js';

/** The job's output is gone (more than 24 h after completion): start a new job. */
export class JobExpired extends Error {}

/**
 * Segments in flight at once; fewer when segments are large, to bound memory: a buffer per
 * segment in flight plus the one being written. Six rather than four: while segments are
 * hashed on the worker thread, more requests in flight keep the network side busy.
 */
const MAX_CONCURRENCY = 6;
const MAX_BUFFERED_BYTES = 256 * MiB;

export async function downloadJob(
  glacier: Glacier,
  vault: string,
  job: GlacierJobDescription,
  destination: Destination,
  requestedSegmentSize: number,
  label: string,
  services: Services,
  limiter?: RateLimiter,
): Promise<void> {
  const plan = jobDownloadPlan(glacier, vault, job, requestedSegmentSize, label, services, limiter);
  await expiredAsJobExpired(plan.output.jobId, async () => {
    if (destination.kind === 'stdout') await downloadToStream(plan, process.stdout);
    else await downloadToFile(plan, destination.path);
  });
}

/** How to fetch and verify a Succeeded job's output, whatever the sink; it stops on the services' signal. */
export function jobDownloadPlan(
  glacier: Glacier,
  vault: string,
  job: GlacierJobDescription,
  requestedSegmentSize: number,
  label: string,
  services: Services,
  limiter?: RateLimiter,
): DownloadPlan {
  const jobId = job.JobId as string;
  const range = job.RetrievalByteRange ?? undefined;
  const [start, end] = range === undefined ? [0, (job.ArchiveSizeInBytes ?? 0) - 1] : range.split('-').map(Number);
  const outputSize = (end as number) - (start as number) + 1;
  const whole = start === 0 && job.ArchiveSizeInBytes === outputSize;
  const expectedTreeHash = (whole ? job.ArchiveSHA256TreeHash : job.SHA256TreeHash) ?? job.SHA256TreeHash ?? undefined;
  if (!(outputSize > 0)) throw new VerificationError(`job ${jobId} for ${quote(label)} reports no size; cannot verify its output`);
  if (expectedTreeHash === undefined || expectedTreeHash === '') {
    throw new VerificationError(
      `Glacier gives no tree hash for job ${jobId} (range ${range ?? 'whole'} of ${quote(label)}), so its output cannot be verified; retrieve a tree-hash-aligned range (2^k MiB starting at a multiple of its size)`,
    );
  }
  const segmentSize = alignedSegmentSize(requestedSegmentSize, start as number, outputSize);
  return {
    output: { glacier, vault, jobId },
    outputSize,
    segmentSize,
    concurrency: Math.max(1, Math.min(MAX_CONCURRENCY, Math.floor(MAX_BUFFERED_BYTES / segmentSize) - 1)),
    expectedTreeHash,
    identity: `${job.ArchiveId ?? ''}:${start}-${end}`,
    label,
    reporter: services.reporter,
    signal: services.signal,
    ...(limiter !== undefined ? { limiter } : {}),
  };
}

/** Runs a download; a job output that is gone (ResourceNotFound) becomes JobExpired. */
export async function expiredAsJobExpired(jobId: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (failure) {
    if (isAwsErrorNamed(failure, 'ResourceNotFoundException')) throw new JobExpired(jobId);
    throw failure;
  }
}

/**
 * Segments of a range job start at START + k·size in the archive; they come with a tree
 * hash only when that is a multiple of their size (or one segment is the whole range).
 */
function alignedSegmentSize(requested: number, start: number, outputSize: number): number {
  let size = requested;
  while (size > MiB && start % size !== 0 && outputSize > size) size /= 2;
  return size;
}
