// The archives an inventory lists, reconciled with the cache one batch (one write
// transaction) at a time (CONTRACT.md, "The cache and vault sync"): a new upstream archive
// is added; an empty local name takes the upstream name; a different name is a warning
// (--fix takes the upstream one); a tombstone still listed after its delete is a warning.
import type { ArchiveChange, GlacierCache } from '../cache/glacierCache.js';
import type { ArchiveRecord, VaultScope } from '../cache/records.js';
import { quote, warn } from '../cli/messages.js';
import { archiveLabel } from './archiveLabel.js';
import type { InventoryArchive } from './inventoryEntries.js';

export interface InventoryPass {
  scope: VaultScope;
  /** Stamped on every listed archive (SyncState.generation). */
  generation: number;
  /** InventoryDate, ms. */
  inventoryDate: number;
  /** When the listed archives are known to have existed (seenUpstreamAt). */
  seenAt: number;
  fix: boolean;
}

export function reconcileListed(cache: GlacierCache, pass: InventoryPass, batch: InventoryArchive[]): void {
  const { scope } = pass;
  cache.transaction(() => {
    const changes: ArchiveChange[] = [];
    // In key order: each lookup and write descends through the pages the last one used.
    for (const upstream of inIdOrder(batch)) {
      const cached = cache.getArchive(scope, upstream.id);
      const record: ArchiveRecord = {
        ...cached,
        id: upstream.id,
        name: cached === undefined ? upstream.description : nameToKeep(cached, upstream, pass),
        lastSeenUpstream: Math.max(pass.seenAt, cached?.lastSeenUpstream ?? pass.seenAt),
        // Never lower: a concurrent pass with a later generation must still find its stamp.
        inventoryGeneration: Math.max(pass.generation, cached?.inventoryGeneration ?? 0),
      };
      if (upstream.size !== undefined) record.size = upstream.size;
      if (upstream.treeHash !== undefined) record.treeHash = upstream.treeHash;
      if (upstream.creationDate !== undefined) record.creationDate = upstream.creationDate;
      if (cached?.deletedHere !== undefined && cached.deletedHere < pass.inventoryDate) {
        warn(`archive ${archiveLabel(cached)} was deleted here but is still in the inventory of vault ${quote(scope.vault)}`);
      }
      changes.push({ record, previous: cached });
    }
    cache.writeArchives(scope, changes);
  });
}

function nameToKeep(cached: ArchiveRecord, upstream: InventoryArchive, pass: InventoryPass): string {
  if (cached.name === upstream.description) return cached.name;
  if (cached.name === '') return upstream.description;
  const change = `archive id:${cached.id} is named ${quote(cached.name)} here but ${quote(upstream.description)} in the inventory`;
  if (pass.fix) {
    warn(`${change} (fixed: took the inventory's name)`);
    return upstream.description;
  }
  warn(`${change} (run 'glacier vault sync --fix ${pass.scope.vault}' to take the inventory's name)`);
  return cached.name;
}

/** The batch in id order, sorted by the engine's own string sort (no comparator calls). */
function inIdOrder(batch: readonly InventoryArchive[]): InventoryArchive[] {
  const byId = new Map(batch.map((archive) => [archive.id, archive]));
  return [...byId.keys()].sort().map((id) => byId.get(id) as InventoryArchive);
}
