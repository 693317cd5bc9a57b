// The Python glacier-cli's cache, imported the first time a command needs a vault's rows,
// once per (file, account, region): without it, a user switching tools would see empty
// listings, "absent" answers, and git-annex would upload every key a second time. The
// fast path costs one stat() and one cache read; the SQLite reader loads only to import.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { accessKeyIdInUse, type Connection } from '../aws/connection.js';
import { oldCachePath } from './cacheDir.js';
import type { GlacierCache } from './glacierCache.js';
import type { ImportCounts } from './importOldCache.js';
import type { VaultScope } from './records.js';
import type { Reporter } from '../report/reporter.js';

export async function importOldCacheOnce(cache: GlacierCache, connection: Connection, scope: VaultScope, reporter: Reporter): Promise<void> {
  const path = resolve(oldCachePath());
  let version: { size: number; mtimeMs: number };
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return;
    version = { size: stats.size, mtimeMs: stats.mtimeMs };
  } catch (failure) {
    if ((failure as NodeJS.ErrnoException).code === 'ENOENT' || (failure as NodeJS.ErrnoException).code === 'ENOTDIR') return;
    version = { size: -1, mtimeMs: -1 };
  }
  const done = cache.oldCacheImport(path, scope.account, scope.region);
  if (done?.outcome === 'imported') return;
  if (done?.outcome === 'unusable' && done.size === version.size && done.mtimeMs === version.mtimeMs) return;
  // Rows are another account's unless written under the key in use; others on request only.
  const key = accessKeyIdInUse(connection);
  if (key === undefined) return;

  const [{ OldCacheFile, OldCacheUnusable }, { importOldCache }] = await Promise.all([import('./oldCacheFile.js'), import('./importOldCache.js')]);
  let file: Awaited<ReturnType<typeof OldCacheFile.open>> | undefined;
  try {
    file = await OldCacheFile.open(path);
    const counts = importOldCache(cache, file, key, scope, { once: true, record: version });
    if (counts === undefined) return;
    let otherRows = 0;
    for (const [other, rows] of file.keyCounts()) if (other !== key) otherRows += rows;
    if (counts.imported === 0 && otherRows === 0) return;
    reporter.info(importSummary(counts, path, scope.region, { otherRows }));
  } catch (failure) {
    if (!(failure instanceof OldCacheUnusable)) throw failure;
    reporter.warn(`the old glacier-cli cache was not imported: ${failure.message}`);
    // Said once per version of the file; a file in use is tried again next time.
    if (!failure.transient) {
      cache.transaction(() => cache.rememberOldCacheImport(path, scope.account, scope.region, { outcome: 'unusable', at: Date.now(), ...version }));
    }
  } finally {
    file?.close();
  }
}

/** One line: what an import did (or would do), and what it left. */
export function importSummary(counts: ImportCounts, path: string, region: string, options: { dryRun?: boolean; otherRows?: number }): string {
  const verb = options.dryRun === true ? 'would import' : 'imported';
  const parts = [`${verb} ${counts.imported} archives (${counts.tombstones} of them deleted) from the old glacier-cli cache ${path} into region ${region}`];
  if (counts.known > 0) parts.push(`skipped ${counts.known} already known`);
  if (counts.invalid > 0) parts.push(`skipped ${counts.invalid} unreadable rows`);
  const others = options.otherRows ?? 0;
  if (others > 0) parts.push(`left ${others} rows of other access keys ('glacier cache import --key AKID' takes them)`);
  return parts.join('; ');
}
