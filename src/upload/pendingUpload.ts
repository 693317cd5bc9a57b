// What --resume needs: the unfinished upload the cache remembers for this vault, name and
// input, and the parts Glacier actually holds for it (ListParts, every page:
// api-multipart-list-parts.md).
import { ListPartsCommand } from '@aws-sdk/client-glacier';
import type { GlacierCache } from '../cache/glacierCache.js';
import type { PendingUpload, VaultScope } from '../cache/records.js';
import type { Glacier } from '../aws/glacier.js';
import { isAwsErrorNamed } from '../aws/describeAwsError.js';
import { PAGE_LIMIT } from './listUploads.js';

/** The newest pending upload of `name` from `sourceId` in the cache, if any. */
export function findPendingUpload(cache: GlacierCache, scope: VaultScope, name: string, sourceId?: string): PendingUpload | undefined {
  let newest: PendingUpload | undefined;
  for (const upload of cache.pendingUploads(scope)) {
    if (upload.name !== name) continue;
    if (sourceId !== undefined && upload.source !== sourceId) continue;
    if (newest === undefined || upload.startedAt > newest.startedAt) newest = upload;
  }
  return newest;
}

/**
 * Part index → hex tree hash of every part Glacier holds for the upload, or undefined
 * when Glacier no longer knows the upload (ids expire about 24 h after the last
 * activity). At most 10,000 entries: the part limit bounds it.
 */
export async function listStoredParts(glacier: Glacier, vault: string, upload: PendingUpload): Promise<Map<number, string> | undefined> {
  const stored = new Map<number, string>();
  let marker: string | undefined;
  do {
    let page;
    try {
      page = await glacier.send(new ListPartsCommand({ accountId: '-', vaultName: vault, uploadId: upload.uploadId, limit: PAGE_LIMIT, marker }));
    } catch (failure) {
      if (isAwsErrorNamed(failure, 'ResourceNotFoundException')) return undefined;
      throw failure;
    }
    for (const part of page.Parts ?? []) {
      const start = Number((part.RangeInBytes ?? '').split('-')[0]);
      if (!Number.isSafeInteger(start) || start % upload.partSize !== 0 || part.SHA256TreeHash === undefined) continue;
      stored.set(start / upload.partSize, part.SHA256TreeHash);
    }
    marker = page.Marker ?? undefined;
  } while (marker !== undefined && marker !== '');
  return stored;
}
