import { Reporter } from '../report/reporter.js';
import { DescribeJobCommand } from '@aws-sdk/client-glacier';
import type { Connection } from '../aws/connection.js';
import { openGlacier } from '../aws/glacier.js';
import { quote } from '../report/quote.js';
import { NotFoundError } from '../errors.js';
import { printable, printableJson } from '../printable.js';

/** Every field DescribeJob gives, as `Key: value` lines or one JSON object. */
export async function describeJobLines(connection: Connection, vault: string, jobId: string, json = false): Promise<string[]> {
  const glacier = openGlacier(connection, new Reporter({ progress: false }));
  try {
    const job = await glacier.send(new DescribeJobCommand({ accountId: '-', vaultName: vault, jobId })).catch((failure: unknown) => {
      if ((failure as { name?: string }).name === 'ResourceNotFoundException') {
        throw new NotFoundError(`job ${quote(jobId)} not found in vault ${quote(vault)} (region ${connection.region}): ${(failure as Error).message}`);
      }
      throw failure;
    });
    const fields = Object.entries(job).filter(([key, value]) => key !== '$metadata' && value !== undefined && value !== null);
    if (json) return [printableJson(Object.fromEntries(fields))];
    return fields.map(([key, value]) => `${key}: ${typeof value === 'object' ? printableJson(value) : printable(String(value))}`);
  } finally {
    glacier.close();
  }
}
