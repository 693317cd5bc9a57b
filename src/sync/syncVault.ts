// `vault sync`: find or start an inventory job, and once one has succeeded, reconcile the
// cache with it (docs/compatibility.md, "Delayed completion" and "The cache and vault sync").
import type { GlacierJobDescription } from '@aws-sdk/client-glacier';
import { quote } from '../report/quote.js';
import { untilAborted } from '../abortable.js';
import { FailureError, Interrupted } from '../errors.js';
import type { VaultContext } from '../vaultContext.js';
import { waitForJob } from '../jobs/waitForJob.js';
import { applyInventory, type AppliedInventory } from './applyInventory.js';
import { jobOutputBytes } from '../aws/jobOutputBytes.js';
import { inventoryEntries } from './inventoryEntries.js';
import { findInventoryJob, startInventoryJob } from './inventoryJob.js';
import { INVENTORY_POLL_SECONDS } from './inventoryPoll.js';

export interface SyncOptions {
  wait: boolean;
  fix: boolean;
  maxAgeHours: number;
  pollIntervalSeconds?: number;
  /** Say nothing of a queued or pending job (checkpresent --quiet). */
  quiet?: boolean;
  /** Told what a completed sync did: the inventory applied, or none when it was applied already. */
  onSynced?: (jobId: string, applied: AppliedInventory | undefined) => void;
}

/** 'pending': an inventory job is queued or in progress; its message is already on stderr. */
export type SyncOutcome = 'synced' | 'pending';

/** What a sync works with: the cache partition, the client, the reporter (messages and the wait line), and the signal that ends a wait. */
export type SyncContext = Pick<VaultContext, 'cache' | 'glacier' | 'scope' | 'reporter' | 'signal'>;

export async function syncVault(context: SyncContext, options: SyncOptions): Promise<SyncOutcome> {
  const { cache, glacier, scope, reporter } = context;
  const { vault } = scope;
  const choice = await findInventoryJob(glacier, vault, options.maxAgeHours);
  let job: GlacierJobDescription;
  if (choice.state === 'succeeded') {
    job = choice.job;
  } else {
    let jobId: string;
    if (choice.state === 'inProgress') {
      jobId = choice.job.JobId as string;
      if (!options.wait) {
        if (options.quiet !== true) reporter.notice(`job still pending for inventory on ${quote(vault)}`);
        return 'pending';
      }
    } else {
      jobId = await startInventoryJob(glacier, vault);
      if (options.quiet !== true) reporter.notice(`queued inventory job for ${quote(vault)}`);
      if (!options.wait) return 'pending';
    }
    // A job waited for is applied at once: the wait is worth nothing otherwise.
    job = await waitForJob(glacier, vault, jobId, {
      pollIntervalSeconds: options.pollIntervalSeconds ?? INVENTORY_POLL_SECONDS,
      label: `the inventory of ${quote(vault)}`,
      reporter,
      signal: context.signal,
    });
    if (job.StatusCode !== 'Succeeded') {
      throw new FailureError(`inventory job for ${quote(vault)} failed: ${job.StatusMessage ?? job.StatusCode ?? 'no reason given'}`);
    }
  }
  const jobId = job.JobId as string;
  // Applying the inventory already applied changes nothing, unless --fix is to act on it.
  if (!options.fix && cache.syncState(scope).inventoryJobId === jobId) {
    options.onSynced?.(jobId, undefined);
    return 'synced';
  }
  const creationDate = Date.parse(job.CreationDate ?? '');
  if (Number.isNaN(creationDate)) throw new FailureError(`inventory job for ${quote(vault)} has no CreationDate`);
  // Stopping between two pieces is as safe as a crash: the job is recorded as applied only at the end.
  const bytes = untilAborted(
    jobOutputBytes(glacier, { vault, jobId, size: job.InventorySizeInBytes ?? undefined }, `inventory download of ${quote(vault)}`),
    context.signal,
    () => new Interrupted(`interrupted while applying the inventory of ${quote(vault)}: run the same command again to apply it`),
  );
  const applied = await applyInventory(context, { jobId, creationDate }, inventoryEntries(bytes), options.fix);
  options.onSynced?.(jobId, applied);
  return 'synced';
}
