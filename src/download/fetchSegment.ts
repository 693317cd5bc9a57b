// One segment of a job's output, fetched and checked before anyone sees it: its byte count
// against the range asked for, and its tree hash against the x-amz-sha256-tree-hash that
// GetJobOutput sent with it (api-job-output-get.md). A segment that fails either check, or
// whose connection drops mid-body, is fetched again; repeated mismatches are a failure.
import { GetJobOutputCommand } from '@aws-sdk/client-glacier';
import type { Glacier } from '../aws/glacier.js';
import { SocketBody } from '../aws/http/socketBody.js';
import { isRetryable, withRetry } from '../aws/retry.js';
import { warn } from '../cli/messages.js';
import { VerificationError } from '../errors.js';
import type { SegmentHasher } from './segmentHasher.js';
import { rangeHeader, type Segment } from './segments.js';

export interface VerifiedSegment {
  segment: Segment;
  /** The segment's bytes: a view of the buffer it was fetched into. */
  bytes: Buffer;
  /** Tree hash root of `bytes`, equal to Glacier's. */
  root: Buffer;
}

export interface JobOutput {
  glacier: Glacier;
  vault: string;
  jobId: string;
}

export const MISMATCH_ATTEMPTS = 5;
const BODY_RETRY_POLICY = { attempts: 6, baseDelayMs: 500, maxDelayMs: 10_000 };

class SegmentMismatch extends Error {}

/** Fetches `segment` into `buffer` (at least segment.length bytes); every attempt starts over at its beginning. */
export async function fetchVerifiedSegment(output: JobOutput, segment: Segment, buffer: Buffer, hasher: SegmentHasher): Promise<VerifiedSegment> {
  const label = `segment ${segment.index} (${rangeHeader(segment)})`;
  for (let attempt = 1; ; attempt++) {
    try {
      return await withRetry(`${label}: GetJobOutput`, () => fetchOnce(output, segment, buffer, hasher), BODY_RETRY_POLICY);
    } catch (failure) {
      if (!(failure instanceof SegmentMismatch)) throw failure;
      if (attempt >= MISMATCH_ATTEMPTS) {
        throw new VerificationError(`${label} of job ${output.jobId} failed verification ${attempt} times (${failure.message}); nothing unverified was delivered`);
      }
      warn(`${label}: ${failure.message}; fetching it again (attempt ${attempt + 1} of ${MISMATCH_ATTEMPTS})`);
    }
  }
}

async function fetchOnce(output: JobOutput, segment: Segment, buffer: Buffer, hasher: SegmentHasher): Promise<VerifiedSegment> {
  const response = await output.glacier.send(
    new GetJobOutputCommand({ accountId: '-', vaultName: output.vault, jobId: output.jobId, range: rangeHeader(segment) }),
  );
  const body = response.body;
  if (!(body instanceof SocketBody)) throw new Error('GetJobOutput answered through an unexpected request handler');
  if (body.length !== segment.length) {
    body.destroy();
    throw new SegmentMismatch(`${body.length} bytes announced, ${segment.length} expected`);
  }
  // Straight into the segment's pool buffer: no socket chunk, no copy (SocketBody).
  let received: number;
  try {
    received = await body.receiveInto(buffer);
  } catch (failure) {
    // A body cut off mid-way is a network failure like any other: withRetry decides.
    if (isRetryable(failure)) throw failure;
    throw Object.assign(new Error(`download interrupted: ${(failure as Error).message}`), { code: 'ECONNRESET' });
  }
  const root = await hasher.treeHash(buffer.subarray(0, received));
  const expected = response.checksum;
  if (expected === undefined || expected === '') throw new SegmentMismatch('Glacier sent no tree hash for it');
  if (root.toString('hex') !== expected.toLowerCase()) {
    throw new SegmentMismatch(`tree hash ${root.toString('hex')} differs from Glacier's ${expected}`);
  }
  return { segment, bytes: buffer.subarray(0, received), root };
}
