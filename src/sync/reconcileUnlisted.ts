// A cached archive the inventory does not list (docs/compatibility.md, "The cache and vault sync").
// A tombstone deleted before the InventoryDate has left Glacier: forget it. A live
// archive seen upstream before, or created here longer than the inventory lag before the
// InventoryDate, has disappeared: warn (--fix forgets it). Anything else is simply too
// new for this inventory.
import type { ArchiveRecord } from '../cache/records.js';
import { quote } from '../report/quote.js';
import { archiveLabel } from './archiveLabel.js';
import type { InventoryPass } from './reconcileListed.js';
import { INVENTORY_LAG_MS } from './seenUpstream.js';

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

/**
 * What to do with a cached row the inventory does not list: keep it (possibly with a
 * message), forget it, or keep it marked missing (no longer live, until listed again). Counts what it decided in `counts`.
 */
export function reconcileUnlisted(pass: InventoryPass, record: ArchiveRecord, counts: UnlistedCounts): 'keep' | 'forget' | 'missing' {
  const verdict = verdictOn(record, pass);
  if (verdict === 'forget') {
    counts.forgotten++;
    return 'forget';
  }
  if (verdict === 'disappeared') {
    counts.disappeared++;
    if (pass.fix) {
      pass.reporter.info(`archive ${archiveLabel(record)} disappeared from the inventory of vault ${quote(pass.scope.vault)}; removed from the cache`);
      return 'forget';
    }
    pass.reporter.warn(
      `archive ${archiveLabel(record)} disappeared from the inventory of vault ${quote(pass.scope.vault)} (run 'glacier vault sync --fix ${pass.scope.vault}' to remove it from the cache)`,
    );
    return 'missing';
  } else if (verdict === 'tooNew') {
    counts.tooNew++;
    pass.reporter.info(`archive ${archiveLabel(record)} is not yet in the inventory of vault ${quote(pass.scope.vault)}`);
  }
  return 'keep';
}
