// The bytes of a job's output as a stream, fetched in ranges (GetJobOutput with Range;
// api-job-output-get.md) so that a dropped connection costs one more attempt from the last
// byte received, never a restart of a multi-gigabyte download. Used for inventories, whose
// output has no tree hash per range to check. The attempts count starts over whenever
// bytes came.
import { GetJobOutputCommand } from '@aws-sdk/client-glacier';
import { FailureError } from '../errors.js';
import type { Glacier } from './glacier.js';

export const JOB_OUTPUT_RANGE_BYTES = 64 * 1024 * 1024;

export interface JobOutputSource {
  vault: string;
  jobId: string;
  /** The output's size when Glacier told it; undefined: one request, to the end. */
  size: number | undefined;
}

/** `label` names the download in messages ("inventory download of 'v'"). */
export async function* jobOutputBytes(glacier: Glacier, source: JobOutputSource, label: string, rangeBytes = JOB_OUTPUT_RANGE_BYTES): AsyncGenerator<Uint8Array> {
  const { size } = source;
  const attempts = glacier.attempts(label);
  let offset = 0;
  while (size === undefined || offset < size) {
    const last = size === undefined ? undefined : Math.min(offset + rangeBytes, size) - 1;
    const range = last !== undefined ? `bytes=${offset}-${last}` : offset > 0 ? `bytes=${offset}-` : undefined;
    const expected = last === undefined ? undefined : last + 1 - offset;
    let received = 0;
    try {
      const answer = await attempts.run(() => glacier.client.send(new GetJobOutputCommand({ accountId: '-', vaultName: source.vault, jobId: source.jobId, range })));
      const body = answer.body as AsyncIterable<Uint8Array> | undefined;
      if (body === undefined) throw new FailureError(`${label}: empty job output`);
      for await (const chunk of body) {
        if (expected !== undefined && received + chunk.length > expected) throw new FailureError(`${label}: Glacier sent more bytes than the range asked for`);
        received += chunk.length;
        offset += chunk.length;
        yield chunk;
      }
      if (expected !== undefined && received !== expected) {
        throw Object.assign(new Error(`short range: ${received} of ${expected} bytes`), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
      }
      attempts.reset();
      if (size === undefined) return;
    } catch (error) {
      if (received > 0) attempts.reset();
      await attempts.failed(error, `${label} at byte ${offset}`);
    }
  }
}
