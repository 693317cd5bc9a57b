// vault migrate / glacier-migrate: move every archive of a vault to S3 or a directory,
// verified and resumable. Everything that can be refused is refused here, before the AWS
// SDK is loaded.
import { byteSizeOption } from '../../byteSize.js';
import { canAsk, confirm } from '../../cli/confirm.js';
import { quote } from '../../report/quote.js';
import { expectPositionals, globalOptionSpecs, limitRateSpec, numberOption, parseCommandLine, type OptionSpecs } from '../../cli/parseCommandLine.js';
import type { Session } from '../../cli/session.js';
import { FailureError, UsageError } from '../../errors.js';
import { parseDestination } from '../../migrate/destination.js';
import { loadPrices } from '../../migrate/prices.js';
import { parseShard } from '../../migrate/shard.js';
import { defaultPollSeconds, parseTier } from '../../retrieve/tier.js';
import { parseRate } from '../../streams/rateLimiter.js';
import { checkVaultName } from '../../vaultName.js';
import { DEFAULT_MAX_AGE_HOURS } from './sync.js';

export const usage =
  'vault migrate [--wait] [--tier bulk|standard|expedited] [--storage-class CLASS] [--s3-endpoint-url URL] [--max-age HOURS] [--max-jobs N] [--batch-size SIZE] [--manifest FILE] [--shard K/N] [--limit-rate RATE] [--dry-run [--prices FILE]] [--delete-source [--yes]] [--poll-interval SECONDS] VAULT DEST';

export const optionSpecs = {
  ...globalOptionSpecs,
  wait: { type: 'boolean', description: 'keep going until every archive is migrated instead of exiting 75' },
  tier: { type: 'string', value: 'TIER', description: 'retrieval tier: bulk, standard or expedited', default: 'bulk' },
  'storage-class': { type: 'string', value: 'CLASS', description: 'S3 storage class of the objects', default: 'DEEP_ARCHIVE' },
  's3-endpoint-url': { type: 'string', value: 'URL', description: 'S3 endpoint (MinIO, Ceph, a private endpoint)', default: 'AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL' },
  'max-age': { type: 'string', value: 'HOURS', description: 'sync the cache first when it is older than this', default: String(DEFAULT_MAX_AGE_HOURS) },
  'max-jobs': { type: 'string', value: 'N', description: 'retrieval jobs in flight at most', default: 'sized to the measured throughput' },
  'batch-size': { type: 'string', value: 'SIZE', description: 'bytes of archives retrieved per batch of jobs', default: 'what downloads well inside 24 h' },
  manifest: { type: 'string', value: 'FILE', description: 'JSON-lines record of every archive', default: 'beside the cache' },
  shard: { type: 'string', value: 'K/N', description: 'migrate only shard K of N (by a hash of the archive id)' },
  'limit-rate': limitRateSpec,
  'dry-run': { type: 'boolean', description: 'start no job and write nothing: print counts, costs and duration' },
  prices: { type: 'string', value: 'FILE', description: 'with --dry-run, prices from this JSON file', default: 'the built-in us-east-1 table' },
  'delete-source': { type: 'boolean', description: 'delete each archive from the vault once its copy is verified' },
  yes: { type: 'boolean', short: 'y', description: 'with --delete-source, do not ask for confirmation' },
  'poll-interval': { type: 'string', value: 'SECONDS', description: 'with --wait, seconds between polls', default: '30 expedited, 600 otherwise' },
} as const satisfies OptionSpecs;

/** Every class S3 stores new objects in (PutObject's x-amz-storage-class). */
export const STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
  'OUTPOSTS',
  'SNOW',
  'EXPRESS_ONEZONE',
];

export async function run(argv: string[], session: Session): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  const [vault, destinationText] = expectPositionals(positionals, ['VAULT', 'DEST'], usage) as [string, string];
  checkVaultName(vault);
  const destination = parseDestination(destinationText);
  const tier = parseTier(options.tier ?? 'bulk');
  const storageClass = (options['storage-class'] ?? 'DEEP_ARCHIVE').toUpperCase();
  if (!STORAGE_CLASSES.includes(storageClass)) throw new UsageError(`--storage-class takes one of ${STORAGE_CLASSES.join(', ')}, not ${quote(options['storage-class'] ?? '')}`);
  if (options['storage-class'] !== undefined && destination.kind !== 's3') throw new UsageError('--storage-class applies to an s3:// destination only');
  const maxAgeHours = numberOption(options['max-age'], 'max-age', DEFAULT_MAX_AGE_HOURS);
  const maxJobs = numberOption(options['max-jobs'], 'max-jobs', 1000);
  if (!Number.isInteger(maxJobs) || maxJobs < 1) throw new UsageError(`--max-jobs takes a whole number of at least 1, not '${options['max-jobs']}'`);
  const batchBytes = byteSizeOption(options['batch-size'], 'batch-size');
  const pollSeconds = numberOption(options['poll-interval'], 'poll-interval', defaultPollSeconds(tier));
  if (pollSeconds <= 0) throw new UsageError('--poll-interval must be more than 0 seconds');
  if (options['s3-endpoint-url'] !== undefined && destination.kind !== 's3') throw new UsageError('--s3-endpoint-url applies to an s3:// destination only');
  const shard = parseShard(options.shard);
  const rate = parseRate(options['limit-rate']);
  const dryRun = options['dry-run'] === true;
  if (options.prices !== undefined && !dryRun) throw new UsageError('--prices applies to --dry-run only');
  const prices = dryRun ? loadPrices(options.prices) : undefined;
  const deleteSource = options['delete-source'] === true;
  if (options.yes === true && !deleteSource) throw new UsageError('--yes confirms --delete-source; give both or neither');
  if (deleteSource && !dryRun && options.yes !== true) {
    if (!canAsk()) throw new UsageError('--delete-source deletes each archive from the vault once its copy is verified; confirm with --yes when not on a terminal');
    const agreed = await confirm(
      `delete each archive of vault ${quote(vault)} once its copy at ${quote(destinationText)} is verified? (Glacier charges 90 days for an archive deleted younger than that)`,
    );
    if (!agreed) throw new FailureError('not confirmed; nothing done');
  }

  const context = await session.open({ options, vault });
  if (prices !== undefined) {
    const { dryRunReport } = await import('../../migrate/dryRun.js');
    process.stdout.write(await dryRunReport(context.cache, context.scope, { destination, storageClass, tier, shard, maxAgeHours, prices, rate: rate?.bytesPerSecond }));
    return;
  }
  const [{ migrateVault, defaultManifestPath }, { openS3, s3EndpointUrl }] = await Promise.all([import('../../migrate/migrateVault.js'), import('../../aws/s3.js')]);
  // The session opens no S3 client, and the layers below open nothing: the destination's client
  // is opened here, its retry notices through the session's reporter, and closed here.
  const s3 = destination.kind === 's3' ? openS3(context.connection, s3EndpointUrl(options['s3-endpoint-url']), context.reporter) : undefined;
  // One limiter per direction: each carries the whole rate, shared by all its connections.
  const upload = rate !== undefined ? parseRate(options['limit-rate']) : undefined;
  try {
    await migrateVault(context, {
      s3,
      settings: {
        destination,
        storageClass,
        tier,
        wait: options.wait === true,
        pollSeconds,
        maxAgeHours,
        maxJobs,
        batchBytes,
        shard,
        deleteSource,
        manifestPath: options.manifest ?? defaultManifestPath(context.cacheDir, context.connection, vault, shard),
        ...(rate !== undefined ? { download: rate } : {}),
        ...(upload !== undefined ? { upload } : {}),
      },
    });
  } finally {
    s3?.close();
  }
}
