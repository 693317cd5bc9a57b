// One stretch of a vault's ids reconciled in one write transaction: the inventory's
// archives with ids in (afterId, throughId], in id order, merged with the cached rows of
// the same stretch, read in the same order. Rows are written in key order and the name
// index changes are handed back, to be applied in name order once every row is written:
// both B-trees are then walked front to back instead of at random, which keeps a sync of
// millions of archives fast and its mapped pages few.
import type { GlacierCache, NameIndexChange } from '../cache/glacierCache.js';
import type { ArchiveRecord } from '../cache/records.js';
import type { InventoryArchive } from './inventoryEntries.js';
import { reconcileListed, type InventoryPass } from './reconcileListed.js';
import { reconcileUnlisted, type UnlistedCounts } from './reconcileUnlisted.js';

/** `upstream`: sorted by id (JavaScript string order, which for ASCII ids is the key order), no id twice. */
export function reconcileRange(
  cache: GlacierCache,
  pass: InventoryPass,
  upstream: readonly InventoryArchive[],
  afterId: string | undefined,
  throughId: string | undefined,
  counts: UnlistedCounts,
): NameIndexChange[] {
  const { scope } = pass;
  return cache.transaction(() => {
    // Read before writing: no cursor stays open over rows this transaction changes.
    const cachedRows = [...cache.archivesBetween(scope, afterId, throughId)];
    const changes: NameIndexChange[] = [];
    const write = (cached: ArchiveRecord | undefined, archive: InventoryArchive): void => {
      changes.push(...cache.putArchiveRowDeferringIndex(scope, cached, reconcileListed(pass, cached, archive)));
    };
    let next = 0;
    for (const cached of cachedRows) {
      for (let archive = upstream[next]; archive !== undefined && archive.id < cached.id; archive = upstream[++next]) write(undefined, archive);
      const archive = upstream[next];
      if (archive !== undefined && archive.id === cached.id) {
        write(cached, archive);
        next++;
      } else {
        const verdict = reconcileUnlisted(pass, cached, counts);
        if (verdict === 'forget') changes.push(...cache.removeArchiveRowDeferringIndex(scope, cached));
        else if (verdict === 'missing') changes.push(...cache.putArchiveRowDeferringIndex(scope, cached, { ...cached, missingFrom: pass.inventoryDate }));
      }
    }
    for (let archive = upstream[next]; archive !== undefined; archive = upstream[++next]) write(undefined, archive);
    return changes;
  });
}
