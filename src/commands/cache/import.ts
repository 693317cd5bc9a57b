// cache import: the Python glacier-cli's cache, imported on request. Commands import the
// rows of the access key in use by themselves, once; this imports them again (nothing
// known is changed), or the rows of another key (rotated keys) with --key, into the
// account and region in effect. One summary line on stderr; a file that cannot be read
// is one line and exit 1.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { accessKeyIdInUse } from '../../aws/connection.js';
import { identityKey } from '../../aws/knownVaultScope.js';
import { oldCachePath } from '../../cache/cacheDir.js';
import { importOldCache } from '../../cache/importOldCache.js';
import { OldCacheFile, OldCacheUnusable } from '../../cache/oldCacheFile.js';
import { importSummary } from '../../cache/importOldCacheOnce.js';
import { expectPositionals, globalOptionSpecs, parseCommandLine, type OptionSpecs } from '../../cli/parseCommandLine.js';
import type { Context, Session } from '../../cli/session.js';
import { FailureError, UsageError } from '../../errors.js';
import { openGlacierLate } from '../lateGlacier.js';

export const usage = 'cache import [--from FILE] [--key AKID] [--region R] [--dry-run]';

export const optionSpecs = {
  ...globalOptionSpecs,
  from: { type: 'string', value: 'FILE', description: "the old tool's SQLite cache file", default: '$XDG_CACHE_HOME/glacier-cli/db (~/.cache/...)' },
  key: { type: 'string', value: 'AKID', description: 'import the rows of this access key id (rotated keys)', default: 'the key in use' },
  'dry-run': { type: 'boolean', description: 'report what would be imported, change nothing' },
} as const satisfies OptionSpecs;

export async function run(argv: string[], session: Session): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  expectPositionals(positionals, [], usage);
  if (options.from !== undefined && options.from === '') throw new UsageError(`--from needs a file; usage: ${usage}`);
  if (options.key !== undefined && !/^[\x21-\x7e]{1,128}$/.test(options.key)) throw new UsageError(`--key takes an access key id, not '${options.key}'`);
  // The cache opens with the session: which key is in use is known once the connection is.
  const context = await session.open({ options });
  const { connection, cache, reporter } = context;
  const inUse = accessKeyIdInUse(connection);
  const key = options.key ?? inUse;
  if (key === undefined) {
    throw new UsageError("the access key id of these credentials is not known without a request (SSO, a role or a credential process): name the rows' key with --key AKID");
  }
  const path = resolve(options.from ?? oldCachePath());
  const version = fileVersion(path);
  const dryRun = options['dry-run'] === true;

  let file: OldCacheFile;
  try {
    file = await OldCacheFile.open(path);
  } catch (failure) {
    if (failure instanceof OldCacheUnusable) throw new FailureError(failure.message);
    throw failure;
  }
  try {
    const account = cache.accountOf(identityKey(connection)) ?? (await learnAccount(context));
    const target = { account, region: connection.region };
    // Only the rows of the key in use make the import the commands would do themselves.
    const record = key === inUse ? version : undefined;
    const counts = importOldCache(cache, file, key, target, { dryRun, ...(record !== undefined ? { record } : {}) });
    let otherRows = 0;
    for (const [other, rows] of file.keyCounts()) if (other !== key) otherRows += rows;
    reporter.info(importSummary(counts ?? { imported: 0, tombstones: 0, known: 0, invalid: 0 }, path, connection.region, { dryRun, otherRows }));
  } catch (failure) {
    if (failure instanceof OldCacheUnusable) throw new FailureError(failure.message);
    throw failure;
  } finally {
    file.close();
  }
}

function fileVersion(path: string): { size: number; mtimeMs: number } {
  try {
    const stats = statSync(path);
    return { size: stats.size, mtimeMs: stats.mtimeMs };
  } catch (failure) {
    const code = (failure as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FailureError(`no old glacier-cli cache at ${path}`);
    throw new FailureError(`cannot read ${path}: ${(failure as Error).message}`);
  }
}

/** The account behind new credentials, from the ARN of any vault of the region. */
async function learnAccount(context: Context): Promise<string> {
  const [{ ListVaultsCommand }, { accountOfArn }] = await Promise.all([import('@aws-sdk/client-glacier'), import('../../aws/vaultScope.js')]);
  const { cache, connection } = context;
  const glacier = await openGlacierLate(context);
  const listed = await glacier.send(new ListVaultsCommand({ accountId: '-', limit: 1 }));
  const arn = listed.VaultList?.[0]?.VaultARN;
  if (arn === undefined) {
    throw new FailureError(`region ${connection.region} has no vaults, so the account of these credentials cannot be learned; nothing imported`);
  }
  const account = accountOfArn(arn);
  cache.rememberAccount(identityKey(connection), account);
  return account;
}
