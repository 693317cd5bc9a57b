// Commands that act on every archive of a vault (migrate, purge) first follow `vault sync`'s
// rules when the cache is older than --max-age, so that archives uploaded from elsewhere
// are not missed.
import type { Reporter } from '../report/reporter.js';
import type { Glacier } from '../aws/glacier.js';
import type { GlacierCache } from '../cache/glacierCache.js';
import type { VaultScope } from '../cache/records.js';
import { quote } from '../report/quote.js';
import { syncVault, type SyncOutcome } from './syncVault.js';

export interface Freshness {
  maxAgeHours: number;
  wait: boolean;
  pollIntervalSeconds?: number;
  /** Shows the wait line. */
  reporter: Reporter;
  /** Ends the wait for the job. */
  signal: AbortSignal;
}

/** How old the cache of the vault is, in hours; undefined when it was never synced. */
export function cacheAgeHours(cache: GlacierCache, scope: VaultScope, now = Date.now()): number | undefined {
  const syncedAt = cache.syncState(scope).syncedAt;
  return syncedAt === undefined ? undefined : (now - syncedAt) / 3_600_000;
}

export async function ensureFreshCache(cache: GlacierCache, glacier: Glacier, scope: VaultScope, freshness: Freshness): Promise<SyncOutcome> {
  const age = cacheAgeHours(cache, scope);
  if (age !== undefined && age <= freshness.maxAgeHours) return 'synced';
  const why = age === undefined ? 'has never been synced' : `was synced ${age.toFixed(1)} h ago (more than --max-age ${freshness.maxAgeHours} h)`;
  freshness.reporter.info(`the cache of vault ${quote(scope.vault)} ${why}: reconciling it with the vault's inventory first`);
  return syncVault(
    { cache, glacier, scope, reporter: freshness.reporter, signal: freshness.signal },
    {
      wait: freshness.wait,
      fix: false,
      maxAgeHours: freshness.maxAgeHours,
      ...(freshness.pollIntervalSeconds !== undefined ? { pollIntervalSeconds: freshness.pollIntervalSeconds } : {}),
    },
  );
}
