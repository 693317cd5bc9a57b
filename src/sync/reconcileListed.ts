// An archive the inventory lists, reconciled with its cached row (docs/compatibility.md, "The cache
// and vault sync"): a new upstream archive is added; an empty local name takes the
// upstream name; a different name is a warning (--fix takes the upstream one); a tombstone
// still listed after its delete is a warning.
import type { ArchiveRecord, VaultScope } from '../cache/records.js';
import { quote } from '../report/quote.js';
import type { Reporter } from '../report/reporter.js';
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
  /** Tells of names that differ and archives that should be gone. */
  reporter: Reporter;
}

/** The row of an archive the inventory lists: the cached row (if any) brought up to date. */
export function reconcileListed(pass: InventoryPass, cached: ArchiveRecord | undefined, upstream: InventoryArchive): ArchiveRecord {
  const { missingFrom: _listedAgain, ...previous } = cached ?? {};
  const record: ArchiveRecord = {
    ...previous,
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
    pass.reporter.warn(`archive ${archiveLabel(cached)} was deleted here but is still in the inventory of vault ${quote(pass.scope.vault)}`);
  }
  return record;
}

function nameToKeep(cached: ArchiveRecord, upstream: InventoryArchive, pass: InventoryPass): string {
  if (cached.name === upstream.description) return cached.name;
  if (cached.name === '') return upstream.description;
  const change = `archive id:${cached.id} is named ${quote(cached.name)} here but ${quote(upstream.description)} in the inventory`;
  if (pass.fix) {
    pass.reporter.warn(`${change} (fixed: took the inventory's name)`);
    return upstream.description;
  }
  pass.reporter.warn(`${change} (run 'glacier vault sync --fix ${pass.scope.vault}' to take the inventory's name)`);
  return cached.name;
}
