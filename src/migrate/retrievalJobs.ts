// The whole-archive retrieval jobs of a vault, by archive id: the newest Succeeded and the
// newest InProgress of each. One pass over ListJobs; jobs live at most a day or two after
// completion, so the map is as small as the batches this command starts.
import type { Glacier } from '../aws/glacier.js';
import { listJobs } from '../jobs/listJobs.js';
import { newer, retrievesSameBytes, type MatchingJobs } from '../jobs/matchRetrievalJob.js';

export async function retrievalJobsByArchive(glacier: Glacier, vault: string): Promise<Map<string, MatchingJobs>> {
  const found = new Map<string, MatchingJobs>();
  for await (const job of listJobs(glacier, vault)) {
    const archiveId = job.ArchiveId;
    if (archiveId === undefined || archiveId === null || !retrievesSameBytes(job, { archiveId })) continue;
    const slot = found.get(archiveId) ?? {};
    if (job.StatusCode === 'Succeeded' && newer(slot.succeeded, job)) slot.succeeded = job;
    else if (job.StatusCode === 'InProgress' && newer(slot.inProgress, job)) slot.inProgress = job;
    found.set(archiveId, slot);
  }
  return found;
}
