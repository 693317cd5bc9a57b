// archive retrieve / glacier-retrieve (docs/compatibility.md, "Delayed completion"). Everything that
// can be refused is refused here, before the AWS SDK is even loaded.
import { stdoutWasClosed } from '../../cli/closedStdout.js';
import { globalOptionSpecs, limitRateSpec, numberOption, parseCommandLine, type OptionSpecs } from '../../cli/parseCommandLine.js';
import type { Session } from '../../cli/session.js';
import { UsageError } from '../../errors.js';
import { parseArchiveRef } from '../../archiveRef.js';
import { parseByteRange } from '../../retrieve/byteRange.js';
import { defaultDestination, explicitDestination, type Destination } from '../../retrieve/destination.js';
import { parseRate } from '../../streams/rateLimiter.js';
import { parseSegmentSize } from '../../retrieve/segmentSize.js';
import { defaultPollSeconds, parseTier } from '../../retrieve/tier.js';
import { checkVaultName } from '../../vaultName.js';

export const usage =
  'archive retrieve [--wait] [-o FILE|-o-] [--multipart-size BYTES] [--tier expedited|standard|bulk] [--range START-END] [--force] [--poll-interval SECONDS] [--limit-rate RATE] [--progress|--no-progress] VAULT NAME...';

export const optionSpecs = {
  ...globalOptionSpecs,
  wait: { type: 'boolean', description: 'wait for the retrieval job instead of exiting 75' },
  output: { type: 'string', short: 'o', value: 'FILE', description: "write to FILE ('-': stdout)", default: "the archive name's base name" },
  'multipart-size': { type: 'string', value: 'BYTES', description: 'segment size of the download, a power-of-two number of MiB', default: '8M' },
  tier: { type: 'string', value: 'TIER', description: 'expedited, standard or bulk', default: 'standard' },
  range: { type: 'string', value: 'START-END', description: 'retrieve only these bytes (tree-hash aligned)' },
  force: { type: 'boolean', description: 'overwrite an existing file' },
  'poll-interval': { type: 'string', value: 'SECONDS', description: 'with --wait, seconds between polls', default: '30 expedited, 600 otherwise' },
  'limit-rate': limitRateSpec,
  progress: { type: 'boolean', description: 'show the progress line', default: 'on when stderr is a terminal' },
  'no-progress': { type: 'boolean', description: 'never show the progress line' },
} as const satisfies OptionSpecs;

export async function run(argv: string[], session: Session): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  const [vault, ...names] = positionals;
  if (vault === undefined || names.length === 0) throw new UsageError(`missing ${vault === undefined ? 'VAULT NAME' : 'NAME'}; usage: ${usage}`);
  checkVaultName(vault);
  if (options.output !== undefined && names.length > 1) {
    throw new UsageError(`-o names one output, but ${names.length} archives were asked for; retrieve them one at a time or drop -o`);
  }
  if (options.range !== undefined && names.length > 1) throw new UsageError('--range applies to one archive; name only one');
  const range = options.range !== undefined ? parseByteRange(options.range) : undefined;
  const segmentSize = parseSegmentSize(options['multipart-size']);
  const tier = parseTier(options.tier);
  const pollSeconds = numberOption(options['poll-interval'], 'poll-interval', defaultPollSeconds(tier));
  if (pollSeconds <= 0) throw new UsageError('--poll-interval must be more than 0 seconds');
  const limiter = parseRate(options['limit-rate']);
  const refs = names.map((text) => ({ text, ref: parseArchiveRef(text) }));
  const force = options.force === true;
  // A name gives its default file name now; an id: ref only once the cache has named it.
  const destinations = refs.map(({ ref }): Destination | undefined => {
    if (options.output !== undefined) return explicitDestination(options.output);
    return ref.kind === 'name' ? defaultDestination(ref.name, force) : undefined;
  });
  const duplicate = destinations.find(
    (destination, index) => destination?.kind === 'file' && destinations.findIndex((other) => other?.kind === 'file' && other.path === destination.path) !== index,
  );
  if (destinations.some((destination) => destination?.kind === 'stdout') && stdoutWasClosed()) {
    throw new UsageError('standard output is closed, so the archive would be lost; give -o FILE or open standard output');
  }
  if (duplicate?.kind === 'file') throw new UsageError(`two archives would be written to ${duplicate.path}; retrieve them one at a time with -o`);

  const context = await session.open({ options, vault });
  const { retrieveFromVault } = await import('../../retrieve/retrieveFromVault.js');
  await retrieveFromVault(context, {
    refs,
    destinations,
    force,
    settings: { tier, segmentSize, wait: options.wait === true, pollSeconds, ...(range !== undefined ? { range } : {}), ...(limiter !== undefined ? { limiter } : {}) },
  });
}
