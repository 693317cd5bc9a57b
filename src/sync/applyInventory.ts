// One inventory applied to the cache in a single streaming pass: archives are reconciled
// in batches of BATCH per write transaction as they are parsed, then the rows this pass
// did not stamp are reconciled. Memory stays flat whatever the inventory's size.
import type { GlacierCache } from '../cache/glacierCache.js';
import type { VaultScope } from '../cache/records.js';
import { FailureError } from '../errors.js';
import type { InventoryArchive, InventoryEntry } from './inventoryEntries.js';
import { reconcileListed, type InventoryPass } from './reconcileListed.js';
import { reconcileUnlisted, type UnlistedCounts } from './reconcileUnlisted.js';
import { seenUpstreamAt } from './seenUpstream.js';

// Pages a write transaction changes are held in memory until its commit: 16384 archives
// keep that near 100 MiB in a vault of a million, with few enough commits to stay fast.
export const BATCH = 16_384;

export interface InventoryJobFacts {
  jobId: string;
  /** The job's CreationDate, ms. */
  creationDate: number;
}

export interface AppliedInventory extends UnlistedCounts {
  inventoryDate: number;
  listed: number;
}

export async function applyInventory(
  cache: GlacierCache,
  scope: VaultScope,
  job: InventoryJobFacts,
  entries: AsyncIterable<InventoryEntry[]>,
  fix: boolean,
): Promise<AppliedInventory> {
  // Take a generation number no earlier pass (even an interrupted one) has stamped.
  const generation = cache.transaction(() => {
    const state = cache.syncState(scope);
    const next = (state.generation ?? 0) + 1;
    cache.putSyncState(scope, { ...state, generation: next });
    return next;
  });
  let pass: InventoryPass | undefined;
  let batch: InventoryArchive[] = [];
  let listed = 0;
  for await (const chunk of entries) {
    for (const entry of chunk) {
      if (entry.kind === 'date') {
        const inventoryDate = Date.parse(entry.inventoryDate);
        if (Number.isNaN(inventoryDate)) throw new FailureError(`the inventory has an unreadable InventoryDate '${entry.inventoryDate}'`);
        pass = { scope, generation, inventoryDate, seenAt: seenUpstreamAt(inventoryDate, job.creationDate), fix };
        continue;
      }
      if (pass === undefined) throw new FailureError('the inventory lists archives before its InventoryDate');
      batch.push(entry.archive);
      listed++;
      if (batch.length >= BATCH) {
        reconcileListed(cache, pass, batch);
        batch = [];
      }
    }
  }
  if (pass === undefined) throw new FailureError('the inventory has no InventoryDate');
  if (batch.length > 0) reconcileListed(cache, pass, batch);
  const unlisted = reconcileUnlisted(cache, pass);
  cache.transaction(() => {
    const state = cache.syncState(scope);
    // A sync that ran at the same time may have applied a newer inventory: keep that one.
    if (state.inventoryDate !== undefined && state.inventoryDate > pass.inventoryDate) return;
    cache.putSyncState(scope, { ...state, inventoryDate: pass.inventoryDate, inventoryJobId: job.jobId, syncedAt: Date.now() });
  });
  return { inventoryDate: pass.inventoryDate, listed, ...unlisted };
}
