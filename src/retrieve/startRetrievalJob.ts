// InitiateJob for an archive retrieval (api-initiate-job-post.md, api-jobParameters.md).
import { InitiateJobCommand } from '@aws-sdk/client-glacier';
import type { Glacier } from '../aws/glacier.js';
import { quote } from '../cli/messages.js';
import { FailureError, NotFoundError } from '../errors.js';
import { describeAwsError } from '../aws/describeAwsError.js';
import { withRetry } from '../aws/retry.js';
import { formatByteRange, type ByteRange } from './byteRange.js';
import type { Tier } from './tier.js';

export async function startRetrievalJob(
  glacier: Glacier,
  vault: string,
  archive: { id: string; label: string },
  tier: Tier,
  range: ByteRange | undefined,
): Promise<string> {
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
  // Not glacier.send: an expedited request refused for lack of capacity (503) is an
  // answer to report at once, not an outage to retry for minutes.
  const response = await withRetry('retrieve: InitiateJob', () =>
    glacier.client.send(command).catch((failure: unknown) => {
      if ((failure as { name?: string }).name === 'InsufficientCapacityException') {
        throw new FailureError(describeAwsError(failure as Error));
      }
      throw failure;
    }),
  )
    .catch((failure: unknown) => {
      if ((failure as { name?: string }).name === 'ResourceNotFoundException') {
        throw new NotFoundError(`archive ${quote(archive.label)} (id:${archive.id}) not found in vault ${quote(vault)}: ${(failure as Error).message}`);
      }
      throw failure;
    });
  if (response.jobId === undefined) throw new Error('InitiateJob answered without a job id');
  return response.jobId;
}
