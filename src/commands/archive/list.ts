// archive list: the archives of a vault, from the cache alone (no request, no AWS SDK),
// sorted by name in byte order, streamed from the name index.
import { knownVaultScope } from '../../aws/knownVaultScope.js';
import { groupsByName, LONG_HEADER, nameLines, recordLine, type NameListingFormat, type RecordListingFormat } from '../../cache/archiveListing.js';
import type { VaultScope } from '../../cache/records.js';
import { importOldCacheOnce } from '../../cache/importOldCacheOnce.js';
import { quote } from '../../report/quote.js';
import { globalOptionSpecs, type OptionSpecs } from '../../cli/parseCommandLine.js';
import type { Context, Session } from '../../cli/session.js';
import { UsageError } from '../../errors.js';
import { openGlacierLate } from '../lateGlacier.js';
import { parseVaultCommandLine } from '../vaultCommandLine.js';

export const usage = 'archive list [--force-ids] [--long [-h] | --json] VAULT';

export const optionSpecs = {
  ...globalOptionSpecs,
  'force-ids': { type: 'boolean', description: 'print every archive as id:ID<TAB>NAME' },
  long: { type: 'boolean', description: 'id, size, date, tree hash, name (a header on a terminal)' },
  json: { type: 'boolean', description: 'one JSON object per archive and line' },
  'human-readable': { type: 'boolean', short: 'h', description: 'with --long, sizes as 1.5G rather than bytes' },
} as const satisfies OptionSpecs;

const FLUSH_AT = 64 * 1024;

export async function run(argv: string[], session: Session): Promise<void> {
  const { options, vault } = parseVaultCommandLine(argv, optionSpecs, usage);
  if (options.long === true && options.json === true) throw new UsageError(`--long and --json do not go together; usage: ${usage}`);
  if (options['human-readable'] === true && options.long !== true) throw new UsageError(`-h (--human-readable) goes with --long; usage: ${usage}`);
  const format: NameListingFormat | RecordListingFormat = options.json === true ? 'json' : options.long === true ? 'long' : options['force-ids'] === true ? 'ids' : 'names';
  const context = await session.open({ options });
  const { cache, connection, reporter } = context;
  const scope = knownVaultScope(cache, connection, vault) ?? (await learnScope(context, vault));
  await importOldCacheOnce(cache, connection, scope, reporter);
  let pending = format === 'long' && process.stdout.isTTY === true ? LONG_HEADER : '';
  let printed = false;
  const lines =
    format === 'long' || format === 'json'
      ? map(cache.liveArchives(scope), (record) => recordLine(record, format, options['human-readable'] === true))
      : map(groupsByName(cache.liveNames(scope)), (group) => nameLines(group, format));
  for (const line of lines) {
    pending += line;
    printed = true;
    if (pending.length >= FLUSH_AT) {
      await writeOut(pending);
      pending = '';
    }
  }
  if (pending !== '') await writeOut(pending);
  if (!printed && cache.syncState(scope).syncedAt === undefined) {
    reporter.info(`the cache knows no archives of vault ${quote(vault)}; 'glacier vault sync ${vault}' fills it from the vault's inventory`);
  }
}

function* map<T, U>(items: Iterable<T>, transform: (item: T) => U): Generator<U> {
  for (const item of items) yield transform(item);
}

/** The account behind new credentials is learned once, from the vault's ARN. */
async function learnScope(context: Context, vault: string): Promise<VaultScope> {
  const { vaultScope } = await import('../../aws/vaultScope.js');
  return vaultScope(context.cache, context.connection, await openGlacierLate(context), vault);
}

/** Write to stdout with backpressure; a closed pipe ends the listing (EPIPE). */
function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    process.stdout.once('error', onError);
    const flushed = process.stdout.write(text);
    const done = (): void => {
      process.stdout.off('error', onError);
      resolve();
    };
    if (flushed) done();
    else process.stdout.once('drain', done);
  });
}
