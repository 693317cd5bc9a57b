// The bytes of an inventory job's output, fetched in ranges (GetJobOutput with Range;
// api-job-output-get.md) so that a dropped connection costs one retry from the last byte
// received, never a restart of a multi-gigabyte download.
import { GetJobOutputCommand } from '@aws-sdk/client-glacier';
import type { Glacier } from '../aws/glacier.js';
import { DEFAULT_RETRY_POLICY, isRetryable, sleep } from '../aws/retry.js';
import { warn } from '../cli/messages.js';
import { FailureError } from '../errors.js';

export const INVENTORY_RANGE_BYTES = 64 * 1024 * 1024;

export interface InventoryOutput {
  vault: string;
  jobId: string;
  /** InventorySizeInBytes of the job; undefined when Glacier did not say. */
  size: number | undefined;
}

export async function* inventoryBytes(
  glacier: Glacier,
  output: InventoryOutput,
  rangeBytes = INVENTORY_RANGE_BYTES,
): AsyncGenerator<Uint8Array> {
  const { size } = output;
  let offset = 0;
  let failures = 0;
  while (size === undefined || offset < size) {
    const last = size === undefined ? undefined : Math.min(offset + rangeBytes, size) - 1;
    const range = last !== undefined ? `bytes=${offset}-${last}` : offset > 0 ? `bytes=${offset}-` : undefined;
    const expected = last === undefined ? undefined : last + 1 - offset;
    let received = 0;
    try {
      const answer = await glacier.send(
        new GetJobOutputCommand({ accountId: '-', vaultName: output.vault, jobId: output.jobId, range }),
      );
      const body = answer.body as AsyncIterable<Uint8Array> | undefined;
      if (body === undefined) throw new FailureError(`inventory of '${output.vault}': empty job output`);
      for await (const chunk of body) {
        if (expected !== undefined && received + chunk.length > expected) {
          throw new FailureError(`inventory of '${output.vault}': Glacier sent more bytes than the range asked for`);
        }
        received += chunk.length;
        offset += chunk.length;
        yield chunk;
      }
      if (expected !== undefined && received !== expected) {
        throw Object.assign(new Error(`short range: ${received} of ${expected} bytes`), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
      }
      failures = 0;
      if (size === undefined) return;
    } catch (error) {
      if (received > 0) failures = 0;
      failures++;
      if (!isRetryable(error)) throw error;
      if (failures >= DEFAULT_RETRY_POLICY.attempts) {
        throw new FailureError(`inventory download of '${output.vault}' failed at byte ${offset} after ${failures} attempts: ${describe(error)}`);
      }
      const delay = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (failures - 1));
      warn(`inventory download of '${output.vault}' interrupted at byte ${offset} (${describe(error)}); resuming in ${(delay / 1000).toFixed(1)} s`);
      await sleep(delay);
    }
  }
}

function describe(error: unknown): string {
  const e = error as { code?: string; name?: string; message?: string };
  return [e.code, e.message].filter((part) => part !== undefined && part !== '').join(': ') || (e.name ?? 'error');
}
