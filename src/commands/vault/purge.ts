// vault purge: delete every archive the cache and the vault's latest inventory know, after
// a count and a confirmation. Each delete is tombstoned in the cache at once, so a run cut
// short resumes with what is left. Glacier deletes a vault only once an inventory shows it
// empty, which comes about a day after the last delete.
import { canAsk, confirm } from '../../cli/confirm.js';
import { quote } from '../../report/quote.js';
import { expectPositionals, globalOptionSpecs, parseCommandLine, type OptionSpecs } from '../../cli/parseCommandLine.js';
import type { Session } from '../../cli/session.js';
import { FailureError, Interrupted, PendingJob, UsageError } from '../../errors.js';
import { bytesText } from '../../migrate/bytesText.js';
import { INVENTORY_POLL_SECONDS } from '../../sync/inventoryPoll.js';
import { checkVaultName } from '../../vaultName.js';
import { DEFAULT_MAX_AGE_HOURS, inventoryWaitOptions } from './sync.js';

export const usage = 'vault purge [--yes] [--wait] [--max-age HOURS] [--poll-interval SECONDS] VAULT';

export const optionSpecs = {
  ...globalOptionSpecs,
  yes: { type: 'boolean', short: 'y', description: 'do not ask for confirmation' },
  wait: { type: 'boolean', description: 'wait for an inventory when the cache is too old instead of exiting 75' },
  'max-age': { type: 'string', value: 'HOURS', description: 'sync the cache first when it is older than this', default: String(DEFAULT_MAX_AGE_HOURS) },
  'poll-interval': { type: 'string', value: 'SECONDS', description: 'with --wait, seconds between polls', default: String(INVENTORY_POLL_SECONDS) },
} as const satisfies OptionSpecs;

export async function run(argv: string[], session: Session): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  const [vault] = expectPositionals(positionals, ['VAULT'], usage) as [string];
  checkVaultName(vault);
  const { maxAgeHours, pollIntervalSeconds } = inventoryWaitOptions(options);
  const yes = options.yes === true;
  if (!yes && !canAsk()) throw new UsageError('vault purge deletes every archive of the vault; confirm with --yes when not on a terminal');
  const { cache, glacier, scope, reporter, signal } = await session.open({ options, vault });
  const [{ ensureFreshCache }, { vaultArchives }, { deleteArchive }] = await Promise.all([
    import('../../sync/freshCache.js'),
    import('../../migrate/vaultArchives.js'),
    import('../../aws/deleteArchive.js'),
  ]);
  const freshness = await ensureFreshCache(cache, glacier, scope, { maxAgeHours, wait: options.wait === true, pollIntervalSeconds, reporter, signal });
  if (freshness === 'pending') throw new PendingJob(`vault ${quote(vault)} is purged once its inventory is in: run the same command again later`);
  let count = 0;
  let bytes = 0;
  for await (const archive of vaultArchives(cache, scope, undefined)) {
    count++;
    bytes += archive.size ?? 0;
  }
  if (count > 0) {
    reporter.notice(`vault ${quote(vault)}: ${count} archive${count === 1 ? '' : 's'} (${bytesText(bytes)}) to delete`);
    if (!yes && !(await confirm(`delete all ${count} archives of vault ${quote(vault)}? (Glacier charges 90 days for an archive deleted younger than that)`))) {
      throw new FailureError('not confirmed; nothing deleted');
    }
    let deleted = 0;
    for await (const archive of vaultArchives(cache, scope, undefined)) {
      // Between two deletes: each one is recorded before it is sent, so a rerun goes on.
      if (signal.aborted)
        throw new Interrupted(`interrupted after deleting ${deleted} of ${count} archives of vault ${quote(vault)}: run the same command again to delete the rest`);
      await deleteArchive(glacier, cache, scope, archive.id);
      deleted++;
    }
    reporter.notice(`deleted ${deleted} archive${deleted === 1 ? '' : 's'} from vault ${quote(vault)}`);
  } else {
    reporter.notice(`vault ${quote(vault)}: no archive left to delete`);
  }
  reporter.notice(`vault ${quote(vault)} can be deleted once Glacier's next inventory shows it empty, about a day after the last delete: then run 'glacier vault delete ${vault}'`);
}
