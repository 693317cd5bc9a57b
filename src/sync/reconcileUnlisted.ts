// The cached archives an inventory did not list: those not stamped with this pass's
// generation, found by one pass over the vault's rows (CONTRACT.md, "The cache and vault
// sync"). A tombstone deleted before the InventoryDate has left Glacier: forget it. A live
// archive seen upstream before, or created here longer than the inventory lag before the
// InventoryDate, has disappeared: warn (--fix forgets it). Anything else is simply too
// new for this inventory.
import type { GlacierCache } from '../cache/glacierCache.js';
import type { ArchiveRecord } from '../cache/records.js';
import { info, quote, warn } from '../cli/messages.js';
import { archiveLabel } from './archiveLabel.js';
import type { InventoryPass } from './reconcileListed.js';
import { INVENTORY_LAG_MS } from './seenUpstream.js';

const BATCH = 25_000;

type Verdict = 'keep' | 'forget' | 'disappeared' | 'tooNew';

function verdictOn(record: ArchiveRecord, pass: InventoryPass): Verdict {
  // A later generation: a sync running at the same time listed it; that one judges it.
  if ((record.inventoryGeneration ?? 0) >= pass.generation) return 'keep';
  if (record.deletedHere !== undefined) return record.deletedHere < pass.inventoryDate ? 'forget' : 'keep';
  const seenBefore = record.lastSeenUpstream !== undefined && record.lastSeenUpstream < pass.inventoryDate;
  const createdLongBefore = (record.createdHere ?? 0) < pass.inventoryDate - INVENTORY_LAG_MS;
  return seenBefore || createdLongBefore ? 'disappeared' : 'tooNew';
}

export interface UnlistedCounts {
  forgotten: number;
  disappeared: number;
  tooNew: number;
}

export function reconcileUnlisted(cache: GlacierCache, pass: InventoryPass): UnlistedCounts {
  const counts: UnlistedCounts = { forgotten: 0, disappeared: 0, tooNew: 0 };
  let candidates: string[] = [];
  const settle = (): void => {
    const ids = candidates;
    candidates = [];
    // Decide again inside the write transaction: another process may have changed a row.
    cache.transaction(() => {
      for (const id of ids) {
        const record = cache.getArchive(pass.scope, id);
        if (record === undefined) continue;
        const verdict = verdictOn(record, pass);
        if (verdict === 'forget') {
          cache.forgetArchive(pass.scope, id);
          counts.forgotten++;
        } else if (verdict === 'disappeared') {
          counts.disappeared++;
          if (pass.fix) {
            cache.forgetArchive(pass.scope, id);
            info(`archive ${archiveLabel(record)} disappeared from the inventory of vault ${quote(pass.scope.vault)}; removed from the cache`);
          } else {
            warn(`archive ${archiveLabel(record)} disappeared from the inventory of vault ${quote(pass.scope.vault)} (run 'glacier vault sync --fix ${pass.scope.vault}' to remove it from the cache)`);
          }
        } else if (verdict === 'tooNew') {
          counts.tooNew++;
          info(`archive ${archiveLabel(record)} is not yet in the inventory of vault ${quote(pass.scope.vault)}`);
        }
      }
    });
  };
  for (const record of cache.allArchives(pass.scope)) {
    const verdict = verdictOn(record, pass);
    if (verdict === 'keep') continue;
    candidates.push(record.id);
    if (candidates.length >= BATCH) settle();
  }
  if (candidates.length > 0) settle();
  return counts;
}
