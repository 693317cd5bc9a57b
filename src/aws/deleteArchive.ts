// Deleting an archive, with the cache told first: the tombstone is written before the
// request is sent, so a process killed once Glacier has deleted never leaves the cache
// calling the archive present; a refusal puts the row back as it was.
import { DeleteArchiveCommand } from '@aws-sdk/client-glacier';
import { isAwsErrorNamed } from './describeAwsError.js';
import type { Glacier } from './glacier.js';
import type { GlacierCache } from '../cache/glacierCache.js';
import type { VaultScope } from '../cache/records.js';

/** 'already gone': Glacier no longer had it; 'unknown': neither Glacier nor the cache knew it. */
export type DeleteOutcome = 'deleted' | 'already gone' | 'unknown';

export async function deleteArchive(glacier: Glacier, cache: GlacierCache, scope: VaultScope, archiveId: string): Promise<DeleteOutcome> {
  const previous = cache.getArchive(scope, archiveId);
  cache.markDeleted(scope, archiveId, Date.now());
  try {
    await glacier.send(new DeleteArchiveCommand({ accountId: '-', vaultName: scope.vault, archiveId }));
    return 'deleted';
  } catch (failure) {
    const gone = isAwsErrorNamed(failure, 'ResourceNotFoundException');
    if (!gone || previous === undefined) cache.undoDelete(scope, archiveId, previous);
    if (!gone) throw failure;
    return previous === undefined ? 'unknown' : 'already gone';
  }
}
