// Which inventory job `vault sync` uses (docs/compatibility.md, "The cache and vault sync"): the
// newest Succeeded one completed within --max-age hours, else one in progress, else none
// (the caller starts one). Failed jobs are never used, and every ListJobs page is read.
import { InitiateJobCommand, type GlacierJobDescription } from '@aws-sdk/client-glacier';
import type { Glacier } from '../aws/glacier.js';
import { vaultNotFound } from '../aws/vaultNotFound.js';
import { listJobs } from '../jobs/listJobs.js';

export type InventoryJobChoice = { state: 'succeeded'; job: GlacierJobDescription } | { state: 'inProgress'; job: GlacierJobDescription } | { state: 'none' };

/** A whole-vault JSON inventory: ranged (dates, limit, marker) and CSV ones are not ours to use. */
function isWholeJsonInventory(job: GlacierJobDescription): boolean {
  if (job.Action !== 'InventoryRetrieval' || job.JobId === undefined) return false;
  const parameters = job.InventoryRetrievalParameters;
  if (parameters === undefined) return true;
  return (parameters.Format ?? 'JSON') === 'JSON' && !parameters.StartDate && !parameters.EndDate && !parameters.Limit && !parameters.Marker;
}

const time = (iso: string | undefined): number => (iso === undefined ? Number.NaN : Date.parse(iso));

export async function findInventoryJob(glacier: Glacier, vault: string, maxAgeHours: number, now = Date.now()): Promise<InventoryJobChoice> {
  const oldestUsable = now - maxAgeHours * 3600 * 1000;
  let succeeded: GlacierJobDescription | undefined;
  let inProgress: GlacierJobDescription | undefined;
  for await (const job of listJobs(glacier, vault)) {
    if (!isWholeJsonInventory(job)) continue;
    if (job.StatusCode === 'Succeeded' && maxAgeHours > 0) {
      const completed = time(job.CompletionDate);
      if (completed >= oldestUsable && !(completed <= time(succeeded?.CompletionDate))) succeeded = job;
    } else if (job.StatusCode === 'InProgress') {
      if (!(time(job.CreationDate) <= time(inProgress?.CreationDate))) inProgress = job;
    }
  }
  if (succeeded !== undefined) return { state: 'succeeded', job: succeeded };
  if (inProgress !== undefined) return { state: 'inProgress', job: inProgress };
  return { state: 'none' };
}

/** Start a whole-vault inventory job in JSON (CSV does not escape backslashes). */
export async function startInventoryJob(glacier: Glacier, vault: string): Promise<string> {
  const started = await glacier
    .send(
      new InitiateJobCommand({
        accountId: '-',
        vaultName: vault,
        jobParameters: { Type: 'inventory-retrieval', Format: 'JSON' },
      }),
    )
    .catch(vaultNotFound(vault, glacier.region));
  if (started.jobId === undefined) throw new Error('InitiateJob answered without a job id');
  return started.jobId;
}
