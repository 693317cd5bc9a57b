// Rows of the Python glacier-cli's cache become rows of this cache: those written under one
// access key id, into one account and region (the old tool keyed by access key alone).
// Names, created-here and last-seen-upstream times and deleted-here tombstones carry over,
// so listings, the checkpresent age rule and sync behave as they did. An archive this
// cache already knows is left as it is: importing again changes nothing.
import type { GlacierCache } from './glacierCache.js';
import type { OldCacheFile } from './oldCacheFile.js';
import type { ArchiveRecord } from './records.js';

export interface ImportTarget {
  account: string;
  region: string;
}

export interface ImportCounts {
  /** Archives added (tombstones included). */
  imported: number;
  /** Of those, archives the old tool had deleted. */
  tombstones: number;
  /** Archives this cache knew already, left as they were. */
  known: number;
  /** Rows that cannot be what the old tool wrote, skipped. */
  invalid: number;
}

/** The file as it is now, so an import is done once per version of it. */
export interface FileVersion {
  size: number;
  mtimeMs: number;
}

/**
 * Import in one transaction, so that of several processes starting at once (git annex
 * -J8) exactly one imports. `record`: remember that the rows of the key in use were
 * imported from this version of the file; `once`: do nothing (and return undefined) when
 * that was remembered already. `dryRun` counts without writing.
 */
export function importOldCache(
  cache: GlacierCache,
  file: OldCacheFile,
  key: string,
  target: ImportTarget,
  options: { dryRun?: boolean; once?: boolean; record?: FileVersion },
): ImportCounts | undefined {
  const work = (): ImportCounts | undefined => {
    if (options.once === true && cache.oldCacheImport(file.path, target.account, target.region)?.outcome === 'imported') return undefined;
    const counts: ImportCounts = { imported: 0, tombstones: 0, known: 0, invalid: 0 };
    file.rows(
      key,
      (row) => {
        const scope = { ...target, vault: row.vault };
        const record: ArchiveRecord = { id: row.id, name: row.name };
        if (row.createdHere !== undefined) record.createdHere = row.createdHere;
        if (row.lastSeenUpstream !== undefined) record.lastSeenUpstream = row.lastSeenUpstream;
        if (row.deletedHere !== undefined) record.deletedHere = row.deletedHere;
        const added = options.dryRun === true ? cache.getArchive(scope, row.id) === undefined : cache.addArchiveIfUnknown(scope, record);
        if (!added) counts.known++;
        else {
          counts.imported++;
          if (record.deletedHere !== undefined) counts.tombstones++;
        }
      },
      () => counts.invalid++,
    );
    if (options.dryRun !== true && options.record !== undefined) {
      cache.rememberOldCacheImport(file.path, target.account, target.region, { outcome: 'imported', at: Date.now(), ...options.record, imported: counts.imported });
    }
    return counts;
  };
  return options.dryRun === true ? work() : cache.transaction(work);
}
