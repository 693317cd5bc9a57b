// InitiateJob for an archive retrieval (api-initiate-job-post.md, api-jobParameters.md).
import { InitiateJobCommand } from '@aws-sdk/client-glacier';
import type { Glacier } from '../aws/glacier.js';
import { quote } from '../report/quote.js';
import { FailureError, NotFoundError } from '../errors.js';
import { describeAwsError, isAwsErrorNamed } from '../aws/describeAwsError.js';
import { formatByteRange, type ByteRange } from './byteRange.js';
import type { Tier } from './tier.js';

export async function startRetrievalJob(glacier: Glacier, vault: string, archive: { id: string; label: string }, tier: Tier, range: ByteRange | undefined): Promise<string> {
  const command = new InitiateJobCommand({
    accountId: '-',
    vaultName: vault,
    jobParameters: {
      Type: 'archive-retrieval',
      ArchiveId: archive.id,
      Tier: tier,
      ...(range !== undefined ? { RetrievalByteRange: formatByteRange(range) } : {}),
    },
  });
  // An expedited request refused for lack of capacity is final (retry.ts): an answer to
  // report at once, not an outage to retry for minutes.
  const response = await glacier.send(command).catch((failure: unknown) => {
    if (isAwsErrorNamed(failure, 'InsufficientCapacityException')) throw new FailureError(describeAwsError(failure as Error));
    if (isAwsErrorNamed(failure, 'ResourceNotFoundException')) {
      throw new NotFoundError(`archive ${quote(archive.label)} (id:${archive.id}) not found in vault ${quote(vault)}: ${(failure as Error).message}`);
    }
    throw failure;
  });
  if (response.jobId === undefined) throw new Error('InitiateJob answered without a job id');
  return response.jobId;
}
