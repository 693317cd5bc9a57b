// One segment of a job's output, fetched and checked before anyone sees it: its byte count
// against the range asked for, and its tree hash against the x-amz-sha256-tree-hash that
// GetJobOutput sent with it (api-job-output-get.md). A segment that fails either check, or
// whose connection drops mid-body, is fetched again; repeated mismatches are a failure.
import { GetJobOutputCommand } from '@aws-sdk/client-glacier';
import type { Readable } from 'node:stream';
import type { Glacier } from '../aws/glacier.js';
import { isRetryable, withRetry } from '../aws/retry.js';
import { warn } from '../cli/messages.js';
import { VerificationError } from '../errors.js';
import { TreeHasher } from '../streams/treeHash.js';
import { rangeHeader, type Segment } from './segments.js';

export interface VerifiedSegment {
  segment: Segment;
  /** The bytes as they arrived: kept in the socket's own chunks, never copied. */
  chunks: Buffer[];
  /** Tree hash root of `data`, equal to Glacier's. */
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

export async function fetchVerifiedSegment(output: JobOutput, segment: Segment): Promise<VerifiedSegment> {
  const label = `segment ${segment.index} (${rangeHeader(segment)})`;
  for (let attempt = 1; ; attempt++) {
    try {
      return await withRetry(`${label}: GetJobOutput`, () => fetchOnce(output, segment), BODY_RETRY_POLICY);
    } catch (failure) {
      if (!(failure instanceof SegmentMismatch)) throw failure;
      if (attempt >= MISMATCH_ATTEMPTS) {
        throw new VerificationError(`${label} of job ${output.jobId} failed verification ${attempt} times (${failure.message}); nothing unverified was delivered`);
      }
      warn(`${label}: ${failure.message}; fetching it again (attempt ${attempt + 1} of ${MISMATCH_ATTEMPTS})`);
    }
  }
}

async function fetchOnce(output: JobOutput, segment: Segment): Promise<VerifiedSegment> {
  const response = await output.glacier.send(
    new GetJobOutputCommand({ accountId: '-', vaultName: output.vault, jobId: output.jobId, range: rangeHeader(segment) }),
  );
  const chunks: Buffer[] = [];
  const hasher = new TreeHasher();
  let received = 0;
  try {
    for await (const chunk of response.body as Readable) {
      const bytes = chunk as Buffer;
      if (received + bytes.length > segment.length) throw new SegmentMismatch(`more than the ${segment.length} bytes asked for`);
      chunks.push(bytes);
      hasher.update(bytes);
      received += bytes.length;
    }
  } catch (failure) {
    // A body cut off mid-way is a network failure like any other: withRetry decides.
    if (failure instanceof SegmentMismatch || isRetryable(failure)) throw failure;
    throw Object.assign(new Error(`download interrupted: ${(failure as Error).message}`), { code: 'ECONNRESET' });
  }
  if (received !== segment.length) throw new SegmentMismatch(`${received} bytes received, ${segment.length} expected`);
  const root = hasher.digest();
  const expected = response.checksum;
  if (expected === undefined || expected === '') throw new SegmentMismatch('Glacier sent no tree hash for it');
  if (root.toString('hex') !== expected.toLowerCase()) {
    throw new SegmentMismatch(`tree hash ${root.toString('hex')} differs from Glacier's ${expected}`);
  }
  return { segment, chunks, root };
}
