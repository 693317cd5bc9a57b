// One line of `job list`, exactly as the old tool printed it (docs/compatibility.md, "Output"):
// git-annex splits it on white space and reads `a/d DATE VAULT KEY` as a finished
// retrieval. An action or status this table does not know prints as '?'.
import type { GlacierJobDescription } from '@aws-sdk/client-glacier';
import { printable } from '../printable.js';

const ACTIONS: Record<string, string> = { ArchiveRetrieval: 'a', InventoryRetrieval: 'i' };
const STATUSES: Record<string, string> = { InProgress: 'p', Succeeded: 'd', Failed: 'e' };

/** The completion date when there is one, else the creation date, as Glacier wrote it. */
export function jobDate(job: GlacierJobDescription): string {
  return job.CompletionDate ?? job.CreationDate ?? '';
}

/**
 * `archiveName` is the cached name of the job's archive (undefined when unknown or empty):
 * the line shows it, else `id:ARCHIVEID`; inventory jobs show no name.
 */
export function jobLine(vault: string, job: GlacierJobDescription, archiveName: string | undefined): string {
  const action = ACTIONS[job.Action ?? ''] ?? '?';
  const status = STATUSES[job.StatusCode ?? ''] ?? '?';
  let name = '';
  if (job.Action === 'ArchiveRetrieval' || (job.Action !== 'InventoryRetrieval' && job.ArchiveId !== undefined)) {
    name = archiveName !== undefined && archiveName !== '' ? archiveName : `id:${job.ArchiveId ?? ''}`;
  }
  return `${action}/${status} ${jobDate(job)} ${vault.padEnd(10)} ${printable(name)}`;
}
