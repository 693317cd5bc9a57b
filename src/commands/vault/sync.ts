// vault sync (also glacier-sync): reconcile the cache with the vault's inventory.
import { quote } from '../../report/quote.js';
import { globalOptionSpecs, type OptionSpecs } from '../../cli/parseCommandLine.js';
import type { Session } from '../../cli/session.js';
import { PendingJob } from '../../errors.js';
import { INVENTORY_POLL_SECONDS } from '../../sync/inventoryPoll.js';
import { keepHeapTight } from '../../sync/tightHeap.js';
import { inventoryWaitOptions as waitOptions, type InventoryWait } from '../inventoryWaitOptions.js';
import { parseVaultCommandLine } from '../vaultCommandLine.js';

export const usage = 'vault sync [--wait] [--fix] [--max-age HOURS] [--poll-interval SECONDS] [--json] [--progress|--no-progress] VAULT';

export const DEFAULT_MAX_AGE_HOURS = 24;

export const optionSpecs = {
  ...globalOptionSpecs,
  wait: { type: 'boolean', description: 'wait for the inventory job instead of exiting 75' },
  fix: { type: 'boolean', description: 'remove from the cache archives the inventory no longer lists' },
  'max-age': { type: 'string', value: 'HOURS', description: 'use an inventory job completed within this many hours', default: String(DEFAULT_MAX_AGE_HOURS) },
  'poll-interval': { type: 'string', value: 'SECONDS', description: 'with --wait, seconds between polls', default: String(INVENTORY_POLL_SECONDS) },
  json: { type: 'boolean', description: 'print what the sync did as one JSON object on stdout' },
  progress: { type: 'boolean', description: 'show the wait line and a summary', default: 'on when stderr is a terminal' },
  'no-progress': { type: 'boolean', description: 'never show the wait line nor the summary' },
} as const satisfies OptionSpecs;

export async function run(argv: string[], session: Session): Promise<void> {
  keepHeapTight(); // before the heap grows: see tightHeap.ts
  const { options, vault } = parseVaultCommandLine(argv, optionSpecs, usage);
  const { maxAgeHours, pollIntervalSeconds } = inventoryWaitOptions(options);
  const context = await session.open({ options, vault });
  const { syncVault } = await import('../../sync/syncVault.js');
  const { reporter } = context;
  const outcome = await syncVault(context, {
    wait: options.wait === true,
    fix: options.fix === true,
    maxAgeHours,
    pollIntervalSeconds,
    onSynced: (jobId, applied) => {
      const summary = {
        vault,
        jobId,
        applied: applied !== undefined,
        ...(applied !== undefined
          ? {
              inventoryDate: new Date(applied.inventoryDate).toISOString(),
              listed: applied.listed,
              disappeared: applied.disappeared,
              forgotten: applied.forgotten,
              notYetListed: applied.tooNew,
            }
          : {}),
      };
      if (options.json === true) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else if (reporter.showsStatus) reporter.info(describeSync(vault, summary));
    },
  });
  if (outcome === 'pending') {
    if (options.json === true) process.stdout.write(`${JSON.stringify({ vault, pending: true })}\n`);
    throw new PendingJob();
  }
}

/** --max-age and --poll-interval with vault sync's default age, as the commands that sync first take them. */
export function inventoryWaitOptions(options: { 'max-age'?: string; 'poll-interval'?: string }): InventoryWait {
  return waitOptions(options, DEFAULT_MAX_AGE_HOURS);
}

function describeSync(vault: string, summary: { applied: boolean; listed?: number; disappeared?: number; forgotten?: number }): string {
  if (!summary.applied) return `the cache of vault ${quote(vault)} already matches its latest inventory`;
  return `synced vault ${quote(vault)}: ${summary.listed} archives in the inventory, ${summary.disappeared} disappeared, ${summary.forgotten} forgotten`;
}
