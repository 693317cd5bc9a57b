// archive checkpresent: git-annex's presence check (docs/compatibility.md, "What git-annex runs").
// Present prints NAME exactly as given; absent and stale print nothing. Every answer exits
// 0; only "cannot tell" (an AWS error, a missing vault) exits non-zero. An archive seen
// within --max-age hours is answered from the cache alone, without loading the AWS SDK;
// otherwise the cache is reconciled with an inventory first, and an inventory job that is
// queued or pending is no error here: the answer is what the cache knows.
import { knownVaultScope } from '../../aws/knownVaultScope.js';
import { parseArchiveRef, type ArchiveRef } from '../../archiveRef.js';
import type { GlacierCache } from '../../cache/glacierCache.js';
import { isLive, lastSeen, type ArchiveRecord, type VaultScope } from '../../cache/records.js';
import { importOldCacheOnce } from '../../cache/importOldCacheOnce.js';
import { quote } from '../../report/quote.js';
import { expectPositionals, globalOptionSpecs, parseCommandLine, type OptionSpecs } from '../../cli/parseCommandLine.js';
import type { Context, Session } from '../../cli/session.js';
import { PendingJob } from '../../errors.js';
import { keepHeapTight } from '../../sync/tightHeap.js';
import { checkVaultName } from '../../vaultName.js';
import { inventoryWaitOptions } from '../inventoryWaitOptions.js';
import { openGlacierLate } from '../lateGlacier.js';

export const usage = 'archive checkpresent [--wait] [--quiet] [--max-age HOURS] [--poll-interval SECONDS] VAULT NAME';

/**
 * 80 h, not the 60 of the old README: an archive found in a stale inventory is dated
 * inventory-job creation minus 72 h, so 60 could never confirm it (docs/compatibility.md).
 */
export const DEFAULT_MAX_AGE_HOURS = 80;

export const optionSpecs = {
  ...globalOptionSpecs,
  wait: { type: 'boolean', description: 'wait for an inventory job instead of answering from the cache' },
  quiet: { type: 'boolean', description: 'no message for an absent or stale archive' },
  'max-age': { type: 'string', value: 'HOURS', description: 'an archive seen within this many hours is present', default: String(DEFAULT_MAX_AGE_HOURS) },
  'poll-interval': { type: 'string', value: 'SECONDS', description: 'with --wait, seconds between polls', default: "vault sync's, 300" },
} as const satisfies OptionSpecs;

/** 'cached': once the old tool's cache was imported, no inventory was needed. */
type InventoryOutcome = 'synced' | 'pending' | 'cached';

export async function run(argv: string[], session: Session): Promise<void> {
  keepHeapTight(); // a stale answer syncs first: see tightHeap.ts
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  const [vault, name] = expectPositionals(positionals, ['VAULT', 'NAME'], usage) as [string, string];
  checkVaultName(vault);
  const { maxAgeHours, pollIntervalSeconds } = inventoryWaitOptions(options, DEFAULT_MAX_AGE_HOURS);
  const ref = parseArchiveRef(name);
  const context = await session.open({ options });
  const { cache, connection, reporter } = context;
  const say = options.quiet === true ? () => undefined : (text: string) => reporter.info(text);

  // --max-age 0 never confirms: every answer is then "stale" (the old tool's rule).
  const isRecent = (seen: number | undefined): boolean => seen !== undefined && maxAgeHours > 0 && seen >= Date.now() - maxAgeHours * 3600_000;

  const known = knownVaultScope(cache, connection, vault);
  if (known !== undefined) await importOldCacheOnce(cache, connection, known, reporter);
  let seen = known === undefined ? undefined : lastSeenOf(cache, known, ref);
  let inventory: InventoryOutcome | undefined;
  if (!isRecent(seen)) {
    const synced = await syncWithInventory(context, vault, {
      wait: options.wait === true,
      quiet: options.quiet === true,
      maxAgeHours,
      pollIntervalSeconds,
      answeredFromCache: (scope) => isRecent(lastSeenOf(cache, scope, ref)),
    });
    inventory = synced.outcome;
    seen = lastSeenOf(cache, synced.scope, ref);
  }

  if (isRecent(seen)) {
    process.stdout.write(`${name}\n`);
  } else if (seen !== undefined) {
    say(`archive ${quote(name)} found, but has not been seen recently enough to consider it present`);
  } else if (inventory === 'pending') {
    say(`archive ${quote(name)} not found; the inventory of vault ${quote(vault)} is not ready yet`);
  } else {
    say(`archive ${quote(name)} not found, but it may not be in the inventory yet`);
  }
}

/** The latest time a live archive of this reference was known to exist. */
function lastSeenOf(cache: GlacierCache, scope: VaultScope, ref: ArchiveRef): number | undefined {
  let latest: number | undefined;
  for (const record of liveArchivesOf(cache, scope, ref)) {
    const when = lastSeen(record);
    if (when !== undefined && (latest === undefined || when > latest)) latest = when;
  }
  return latest;
}

/** Every live archive a reference may mean: a name held several times is still present. */
function liveArchivesOf(cache: GlacierCache, scope: VaultScope, ref: ArchiveRef): ArchiveRecord[] {
  if (ref.kind === 'name') return cache.findByName(scope, ref.name);
  const record = cache.getArchive(scope, ref.id);
  return record !== undefined && isLive(record) ? [record] : [];
}

/** The network path: learn the vault's scope, then reconcile the cache with an inventory. */
async function syncWithInventory(
  context: Context,
  vault: string,
  options: {
    wait: boolean;
    quiet: boolean;
    maxAgeHours: number;
    pollIntervalSeconds: number;
    /** Whether the cache, the old tool's imported, answers now that the scope is known. */
    answeredFromCache: (scope: VaultScope) => boolean;
  },
): Promise<{ scope: VaultScope; outcome: InventoryOutcome }> {
  const [{ vaultScope }, { syncVault }] = await Promise.all([import('../../aws/vaultScope.js'), import('../../sync/syncVault.js')]);
  const { cache, connection, reporter } = context;
  const glacier = await openGlacierLate(context);
  const scope = await vaultScope(cache, connection, glacier, vault);
  await importOldCacheOnce(cache, connection, scope, reporter);
  if (options.answeredFromCache(scope)) return { scope, outcome: 'cached' };
  const { answeredFromCache: _answered, ...syncOptions } = options;
  try {
    // The signal is taken only if syncVault waits or downloads: until then Ctrl-C ends the process at once.
    const syncContext = {
      cache,
      glacier,
      scope,
      reporter,
      get signal(): AbortSignal {
        return context.signal;
      },
    };
    const outcome = await syncVault(syncContext, { ...syncOptions, fix: false });
    return { scope, outcome };
  } catch (failure) {
    if (failure instanceof PendingJob) return { scope, outcome: 'pending' };
    throw failure;
  }
}
