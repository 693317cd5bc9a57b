// The lines of `job list`. Jobs live only about a day after completing, so a listing is
// small enough to sort oldest first; the cache supplies archive names, partitioned by the
// account read from each vault's ARN (no extra request).
import { ListVaultsCommand, type GlacierJobDescription } from '@aws-sdk/client-glacier';
import { NotFoundError } from '../errors.js';
import type { Glacier } from '../aws/glacier.js';
import { accountOfArn } from '../aws/vaultScope.js';
import { importOldCacheOnce } from '../cache/importOldCacheOnce.js';
import { jobDate, jobLine } from './jobLine.js';
import { listJobs } from './listJobs.js';
import { printableJson } from '../printable.js';
import type { VaultContext } from '../vaultContext.js';

async function* vaultNames(glacier: Glacier): AsyncGenerator<string> {
  let marker: string | undefined;
  do {
    const page = await glacier.send(new ListVaultsCommand({ accountId: '-', marker }));
    for (const vault of page.VaultList ?? []) if (vault.VaultName !== undefined) yield vault.VaultName;
    marker = page.Marker ?? undefined;
  } while (marker !== undefined);
}

/** A vault deleted between ListVaults and ListJobs has no jobs to show. */
async function* jobsOf(glacier: Glacier, vault: string, toleratingGone: boolean): AsyncGenerator<GlacierJobDescription> {
  try {
    yield* listJobs(glacier, vault);
  } catch (failure) {
    if (!(toleratingGone && failure instanceof NotFoundError)) throw failure;
  }
}

/**
 * The jobs of `onlyVault`, else of every vault of the region. Each job's vault is a partition
 * of the cache, so the old tool's cache is imported per vault here, not by the session.
 */
export async function listJobLines(context: Pick<VaultContext, 'connection' | 'cache' | 'glacier' | 'reporter'>, onlyVault: string | undefined, json: boolean): Promise<string[]> {
  const { connection, cache, glacier, reporter } = context;
  const rows: { date: string; line: string }[] = [];
  const vaults = onlyVault !== undefined ? [onlyVault] : vaultNames(glacier);
  for await (const vault of vaults) {
    for await (const job of jobsOf(glacier, vault, onlyVault === undefined)) {
      let archiveName: string | undefined;
      if (job.ArchiveId !== undefined && job.VaultARN !== undefined) {
        const scope = { account: accountOfArn(job.VaultARN), region: connection.region, vault };
        // git-annex's assistant knows a retrieval by the archive's name: the old tool's too.
        await importOldCacheOnce(cache, connection, scope, reporter);
        archiveName = cache.getArchive(scope, job.ArchiveId)?.name;
      }
      const line = json
        ? printableJson({ VaultName: vault, ...job, ArchiveName: archiveName !== undefined && archiveName !== '' ? archiveName : null })
        : jobLine(vault, job, archiveName);
      rows.push({ date: jobDate(job), line });
    }
  }
  // Stable: jobs of one date keep Glacier's order.
  rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return rows.map((row) => row.line);
}
