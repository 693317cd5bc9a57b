// One segment of a job's output, fetched and checked before anyone sees it: its byte count
// against the range asked for, and its tree hash against the x-amz-sha256-tree-hash that
// GetJobOutput sent with it (api-job-output-get.md).
import { GetJobOutputCommand } from '@aws-sdk/client-glacier';
import type { Glacier } from '../aws/glacier.js';
import { SocketBody } from '../aws/http/socketBody.js';
import { BodyMismatch, classify } from '../aws/retry.js';
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

/**
 * Fetches `segment` into `buffer` (at least segment.length bytes). Request, body and checks
 * are one attempt of the retry layer: a body cut off part-way or one that fails its checks
 * is fetched again from its beginning, within the same budget.
 */
export function fetchVerifiedSegment(output: JobOutput, segment: Segment, buffer: Buffer, hasher: SegmentHasher): Promise<VerifiedSegment> {
  const label = `segment ${segment.index} (${rangeHeader(segment)}) of job ${output.jobId}`;
  return output.glacier.withRetries(label, () => fetchOnce(output, segment, buffer, hasher));
}

async function fetchOnce(output: JobOutput, segment: Segment, buffer: Buffer, hasher: SegmentHasher): Promise<VerifiedSegment> {
  const response = await output.glacier.client.send(new GetJobOutputCommand({ accountId: '-', vaultName: output.vault, jobId: output.jobId, range: rangeHeader(segment) }));
  const body = response.body;
  if (!(body instanceof SocketBody)) throw new Error('GetJobOutput answered through an unexpected request handler');
  if (body.length !== segment.length) {
    body.destroy();
    throw new BodyMismatch(`${body.length} bytes announced, ${segment.length} expected`);
  }
  // Straight into the segment's pool buffer: no socket chunk, no copy (SocketBody).
  const received = await body.receiveInto(buffer).catch((failure: unknown) => {
    // A body that goes wrong part-way, in any way, is a dropped connection: fetched again.
    throw classify(failure) === 'final' ? Object.assign(new Error(`download interrupted: ${(failure as Error).message}`), { code: 'ECONNRESET' }) : failure;
  });
  const root = await hasher.treeHash(buffer.subarray(0, received));
  const expected = response.checksum;
  if (expected === undefined || expected === '') throw new BodyMismatch('Glacier sent no tree hash for it');
  if (root.toString('hex') !== expected.toLowerCase()) {
    throw new BodyMismatch(`tree hash ${root.toString('hex')} differs from Glacier's ${expected}`);
  }
  return { segment, bytes: buffer.subarray(0, received), root };
}
