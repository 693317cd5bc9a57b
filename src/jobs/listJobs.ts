// Every job of a vault, across all ListJobs pages (the old tool read only the first).
import { ListJobsCommand, type GlacierJobDescription } from '@aws-sdk/client-glacier';
import type { Glacier } from '../aws/glacier.js';
import { vaultNotFound } from '../aws/vaultNotFound.js';

export async function* listJobs(
  glacier: Glacier,
  vault: string,
  filter: { completed?: boolean; statuscode?: 'InProgress' | 'Succeeded' | 'Failed' } = {},
): AsyncGenerator<GlacierJobDescription> {
  let marker: string | undefined;
  do {
    const page = await glacier
      .send(
        new ListJobsCommand({
          accountId: '-',
          vaultName: vault,
          marker,
          ...(filter.completed !== undefined ? { completed: String(filter.completed) } : {}),
          ...(filter.statuscode !== undefined ? { statuscode: filter.statuscode } : {}),
        }),
      )
      .catch(vaultNotFound(vault, glacier.region));
    yield* page.JobList ?? [];
    marker = page.Marker ?? undefined;
  } while (marker !== undefined);
}
