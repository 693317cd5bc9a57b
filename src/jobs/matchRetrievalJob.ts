// Which existing job can serve a retrieval (docs/compatibility.md, "Delayed completion"). The old
// tool took any job of the archive: a Failed one counted as finished and a job for a byte
// range served a whole-archive request. Here a job matches only when it retrieves the same
// archive and the same bytes.
import type { GlacierJobDescription } from '@aws-sdk/client-glacier';
import { formatByteRange, type ByteRange } from '../retrieve/byteRange.js';

export interface RetrievalRequest {
  archiveId: string;
  /** undefined: the whole archive. */
  range?: ByteRange;
}

export interface MatchingJobs {
  /** The newest Succeeded job, whose output can be downloaded now. */
  succeeded?: GlacierJobDescription;
  /** A job still running. */
  inProgress?: GlacierJobDescription;
  /** The newest Failed job, reported when nothing better exists. */
  failed?: GlacierJobDescription;
}

export function retrievesSameBytes(job: GlacierJobDescription, request: RetrievalRequest): boolean {
  if (job.Action !== 'ArchiveRetrieval' || job.ArchiveId !== request.archiveId) return false;
  const jobRange = job.RetrievalByteRange ?? undefined;
  const size = job.ArchiveSizeInBytes;
  const jobIsWhole = jobRange === undefined || jobRange === '' || (size !== undefined && jobRange === `0-${size - 1}`);
  if (request.range === undefined) return jobIsWhole;
  const wanted = formatByteRange(request.range);
  if (jobRange === wanted) return true;
  // A request for the full range is the whole archive.
  return jobIsWhole && size !== undefined && wanted === `0-${size - 1}`;
}

/** Whether `b` completed (or, still running, was created) after `a`. */
export function newer(a: GlacierJobDescription | undefined, b: GlacierJobDescription): boolean {
  if (a === undefined) return true;
  const dateOf = (job: GlacierJobDescription): string => job.CompletionDate ?? job.CreationDate ?? '';
  return dateOf(b) > dateOf(a);
}

/**
 * One pass over a vault's listing (all pages), sorting each request's matching jobs into
 * what they can do; the listing is never held whole.
 */
export async function matchRetrievalJobs(jobs: AsyncIterable<GlacierJobDescription>, requests: readonly RetrievalRequest[]): Promise<MatchingJobs[]> {
  const found: MatchingJobs[] = requests.map(() => ({}));
  for await (const job of jobs) {
    requests.forEach((request, index) => {
      if (!retrievesSameBytes(job, request)) return;
      const slot = found[index] as MatchingJobs;
      if (job.StatusCode === 'Succeeded') {
        if (newer(slot.succeeded, job)) slot.succeeded = job;
      } else if (job.StatusCode === 'InProgress') {
        if (newer(slot.inProgress, job)) slot.inProgress = job;
      } else if (job.StatusCode === 'Failed') {
        if (newer(slot.failed, job)) slot.failed = job;
      }
    });
  }
  return found;
}
