// One inventory applied to the cache. Inventories list archives in no useful order and a
// vault's cached rows are kept in id order, so the archives are first sorted by id on
// disk (externalSort); then one pass walks the vault's rows and the sorted archives side
// by side, a batch per write transaction (reconcileRange); then the name index changes
// that pass collected are applied in name order. Every B-tree is walked front to back:
// memory stays flat and the map is dropped now and then (GlacierCache.unmap), whatever
// the number of archives.
import { nameIndexOrder, type GlacierCache, type NameIndexChange } from '../cache/glacierCache.js';
import type { VaultScope } from '../cache/records.js';
import { FailureError } from '../errors.js';
import type { VaultContext } from '../vaultContext.js';
import { ExternalSort } from './externalSort.js';
import type { InventoryArchive, InventoryEntry } from './inventoryEntries.js';
import type { InventoryPass } from './reconcileListed.js';
import { reconcileRange } from './reconcileRange.js';
import type { UnlistedCounts } from './reconcileUnlisted.js';
import { seenUpstreamAt } from './seenUpstream.js';

/** Archives (or index changes) per write transaction. */
export const BATCH = 8192;
/** Transactions between two drops of the map: some 64k rows' pages. */
const UNMAP_EVERY = 8;

export interface InventoryJobFacts {
  jobId: string;
  /** The job's CreationDate, ms. */
  creationDate: number;
}

export interface AppliedInventory extends UnlistedCounts {
  inventoryDate: number;
  listed: number;
}

/** The cache partition an inventory is applied to, and where its messages go. */
export type InventoryTarget = Pick<VaultContext, 'cache' | 'scope' | 'reporter'>;

export async function applyInventory(target: InventoryTarget, job: InventoryJobFacts, entries: AsyncIterable<InventoryEntry[]>, fix: boolean): Promise<AppliedInventory> {
  const { cache, scope } = target;
  const byId = new ExternalSort<InventoryArchive>(cache.directory, (archive) => archive.id);
  const byName = new ExternalSort<NameIndexChange>(cache.directory, nameIndexOrder);
  try {
    const pass = await sortInventory(target, job, entries, fix, byId);
    // Writes by other processes from here on were computed against an index this sync
    // has not brought up to date yet: its index changes are then checked row by row.
    const writesBefore = cache.writeCount(scope);
    const counts = await reconcileRows(cache, pass, byId, byName);
    await applyNameIndexChanges(cache, scope, byName, writesBefore);
    cache.transaction(() => {
      const state = cache.syncState(scope);
      // A sync that ran at the same time may have applied a newer inventory: keep that one.
      if (state.inventoryDate !== undefined && state.inventoryDate > pass.inventoryDate) return;
      cache.putSyncState(scope, { ...state, inventoryDate: pass.inventoryDate, inventoryJobId: job.jobId, syncedAt: Date.now() });
    });
    return { inventoryDate: pass.inventoryDate, listed: byId.count, ...counts };
  } finally {
    byId.dispose();
    byName.dispose();
  }
}

/** Reads the whole inventory into `byId`; returns the pass its InventoryDate defines. */
async function sortInventory(
  { cache, scope, reporter }: InventoryTarget,
  job: InventoryJobFacts,
  entries: AsyncIterable<InventoryEntry[]>,
  fix: boolean,
  byId: ExternalSort<InventoryArchive>,
): Promise<InventoryPass> {
  let pass: InventoryPass | undefined;
  for await (const chunk of entries) {
    for (const entry of chunk) {
      if (entry.kind === 'date') {
        const inventoryDate = Date.parse(entry.inventoryDate);
        if (Number.isNaN(inventoryDate)) throw new FailureError(`the inventory has an unreadable InventoryDate '${entry.inventoryDate}'`);
        // Take a generation number no earlier pass (even an interrupted one) has stamped.
        const generation = cache.transaction(() => {
          const state = cache.syncState(scope);
          const next = (state.generation ?? 0) + 1;
          cache.putSyncState(scope, { ...state, generation: next });
          return next;
        });
        pass = { scope, generation, inventoryDate, seenAt: seenUpstreamAt(inventoryDate, job.creationDate), fix, reporter };
        continue;
      }
      if (pass === undefined) throw new FailureError('the inventory lists archives before its InventoryDate');
      await byId.add(entry.archive);
    }
  }
  if (pass === undefined) throw new FailureError('the inventory has no InventoryDate');
  return pass;
}

/** The side-by-side pass over the vault's rows and the sorted archives. */
async function reconcileRows(cache: GlacierCache, pass: InventoryPass, byId: ExternalSort<InventoryArchive>, byName: ExternalSort<NameIndexChange>): Promise<UnlistedCounts> {
  const counts: UnlistedCounts = { forgotten: 0, disappeared: 0, tooNew: 0 };
  let batch: InventoryArchive[] = [];
  let afterId: string | undefined;
  let lastId: string | undefined;
  let transactions = 0;
  const settle = async (throughId: string | undefined): Promise<void> => {
    for (const change of reconcileRange(cache, pass, batch, afterId, throughId, counts)) await byName.add(change);
    afterId = throughId;
    batch = [];
    if (++transactions % UNMAP_EVERY === 0) await cache.unmap();
  };
  for await (const archive of byId.sorted()) {
    if (archive.id === lastId) continue; // listed twice
    lastId = archive.id;
    batch.push(archive);
    if (batch.length >= BATCH) await settle(archive.id);
  }
  // The last stretch runs to the end of the vault's ids: rows after the last listed id.
  await settle(undefined);
  return counts;
}

async function applyNameIndexChanges(cache: GlacierCache, scope: VaultScope, byName: ExternalSort<NameIndexChange>, writesBefore: number): Promise<void> {
  let batch: NameIndexChange[] = [];
  let transactions = 0;
  const settle = async (): Promise<void> => {
    const changes = batch;
    batch = [];
    cache.transaction(() => cache.applyNameIndexChanges(scope, changes, cache.writeCount(scope) !== writesBefore));
    if (++transactions % UNMAP_EVERY === 0) await cache.unmap();
  };
  for await (const change of byName.sorted()) {
    batch.push(change);
    if (batch.length >= BATCH) await settle();
  }
  if (batch.length > 0) await settle();
}
