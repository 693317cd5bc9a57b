import { DescribeJobCommand } from '@aws-sdk/client-glacier';
import { isAwsErrorNamed } from '../aws/describeAwsError.js';
import type { Glacier } from '../aws/glacier.js';
import { quote } from '../report/quote.js';
import { NotFoundError } from '../errors.js';
import { printable, printableJson } from '../printable.js';

/** Every field DescribeJob gives, as `Key: value` lines or one JSON object. */
export async function describeJobLines(glacier: Glacier, vault: string, jobId: string, json = false): Promise<string[]> {
  const job = await glacier.send(new DescribeJobCommand({ accountId: '-', vaultName: vault, jobId })).catch((failure: unknown) => {
    if (isAwsErrorNamed(failure, 'ResourceNotFoundException')) {
      throw new NotFoundError(`job ${quote(jobId)} not found in vault ${quote(vault)} (region ${glacier.region}): ${(failure as Error).message}`);
    }
    throw failure;
  });
  const fields = Object.entries(job).filter(([key, value]) => key !== '$metadata' && value !== undefined && value !== null);
  if (json) return [printableJson(Object.fromEntries(fields))];
  return fields.map(([key, value]) => `${key}: ${typeof value === 'object' ? printableJson(value) : printable(String(value))}`);
}
