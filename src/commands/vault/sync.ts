// vault sync (also glacier-sync): reconcile the cache with the vault's inventory.
import { openGlacier } from '../../aws/glacier.js';
import { vaultScope } from '../../aws/vaultScope.js';
import { GlacierCache } from '../../cache/glacierCache.js';
import { commandContext } from '../../cli/commandContext.js';
import { importOldCacheOnce } from '../../cli/importOldCacheOnce.js';
import {
  expectPositionals,
  globalOptionSpecs,
  numberOption,
  parseCommandLine,
  type OptionSpecs,
} from '../../cli/parseCommandLine.js';
import { PendingJob, UsageError } from '../../errors.js';
import { INVENTORY_POLL_SECONDS, syncVault } from '../../sync/syncVault.js';
import { keepHeapTight } from '../../sync/tightHeap.js';
import { checkVaultName } from '../../vaultName.js';

export const usage = 'vault sync [--wait] [--fix] [--max-age HOURS] [--poll-interval SECONDS] VAULT';

export const DEFAULT_MAX_AGE_HOURS = 24;

const optionSpecs = {
  ...globalOptionSpecs,
  wait: { type: 'boolean' },
  fix: { type: 'boolean' },
  'max-age': { type: 'string' },
  'poll-interval': { type: 'string' },
} as const satisfies OptionSpecs;

export async function run(argv: string[]): Promise<void> {
  keepHeapTight(); // before the heap grows: see tightHeap.ts
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  const [vault] = expectPositionals(positionals, ['VAULT'], usage) as [string];
  checkVaultName(vault);
  const maxAgeHours = numberOption(options['max-age'], 'max-age', DEFAULT_MAX_AGE_HOURS);
  const pollIntervalSeconds = numberOption(options['poll-interval'], 'poll-interval', INVENTORY_POLL_SECONDS);
  if (pollIntervalSeconds <= 0) throw new UsageError('--poll-interval must be more than 0 seconds');
  const { connection, cacheDir } = commandContext(options);
  const cache = GlacierCache.open(cacheDir);
  const glacier = openGlacier(connection, 'vault sync');
  try {
    const scope = await vaultScope(cache, connection, glacier, vault);
    await importOldCacheOnce(cache, connection, scope);
    const outcome = await syncVault(cache, glacier, scope, {
      wait: options.wait === true,
      fix: options.fix === true,
      maxAgeHours,
      pollIntervalSeconds,
    });
    if (outcome === 'pending') throw new PendingJob();
  } finally {
    glacier.close();
    cache.close();
  }
}
