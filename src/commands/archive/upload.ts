// `glacier archive upload VAULT FILE|-` (also `glacier-upload`): one file or stdin into
// one archive. Everything the command line can get wrong is refused here, before the
// input is read or any request made.
import { commandContext } from '../../cli/commandContext.js';
import { expectPositionals, globalOptionSpecs, parseCommandLine } from '../../cli/parseCommandLine.js';
import { UsageError } from '../../errors.js';
import { sizeOfAnnexKey } from '../../upload/annexKeySize.js';
import { checkArchiveName } from '../../upload/archiveName.js';
import { byteSizeOption } from '../../byteSize.js';
import { isValidPartSize, planPartSize } from '../../upload/partSizePlan.js';
import { parseRate } from '../../streams/rateLimiter.js';
import { resumeCommand } from '../../upload/resumeCommand.js';
import { openUploadInput } from '../../upload/uploadInput.js';
import { checkVaultName } from '../../vaultName.js';

export const usage =
  'archive upload [--name NAME] [--part-size SIZE] [--concurrency N] [--expected-size SIZE] [--resume] [--print-id] [--progress|--no-progress] [--limit-rate RATE] VAULT FILE|-';

const optionSpecs = {
  ...globalOptionSpecs,
  name: { type: 'string' },
  'part-size': { type: 'string' },
  concurrency: { type: 'string' },
  'expected-size': { type: 'string' },
  resume: { type: 'boolean' },
  'print-id': { type: 'boolean' },
  progress: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  'limit-rate': { type: 'string' },
} as const;

const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 64;

export async function run(argv: string[]): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  const [vault, path] = expectPositionals(positionals, ['VAULT', 'FILE'], usage) as [string, string];
  checkVaultName(vault);
  if (path === '-' && options.name === undefined) {
    throw new UsageError(`--name is required when the input is stdin; usage: ${usage}`);
  }
  const name = checkArchiveName(options.name ?? baseName(path));
  const concurrency = concurrencyOption(options.concurrency);
  const partSizeGiven = byteSizeOption(options['part-size'], 'part-size');
  if (partSizeGiven !== undefined && !isValidPartSize(partSizeGiven)) {
    throw new UsageError(`--part-size must be a power of two from 1M to 4G (1M, 2M, 4M, ... 4G), not '${options['part-size']}'`);
  }
  const expectedGiven = byteSizeOption(options['expected-size'], 'expected-size');
  if (options.progress === true && options['no-progress'] === true) {
    throw new UsageError('--progress and --no-progress contradict each other');
  }
  const limiter = parseRate(options['limit-rate']);
  const context = commandContext(options);

  const input = await openUploadInput(path);
  try {
    const expectedSize = input.size ?? expectedGiven ?? sizeOfAnnexKey(name);
    const partSize = planPartSize({
      ...(partSizeGiven !== undefined ? { partSize: partSizeGiven } : {}),
      ...(expectedSize !== undefined ? { size: expectedSize } : {}),
    });
    const { uploadArchive } = await import('../../upload/uploadArchive.js');
    const archiveId = await uploadArchive({
      connection: context.connection,
      cacheDir: context.cacheDir,
      vault,
      name,
      input,
      partSize,
      partSizeGiven: partSizeGiven !== undefined,
      ...(expectedSize !== undefined ? { expectedSize } : {}),
      concurrency,
      resume: options.resume === true,
      progress: options.progress ?? (options['no-progress'] === true ? false : process.stderr.isTTY === true),
      resumeCommand: resumeCommand(argv),
      ...(limiter !== undefined ? { limiter } : {}),
    });
    if (options['print-id'] === true) process.stdout.write(`${archiveId}\n`);
  } finally {
    await input.close();
  }
}

function concurrencyOption(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < 1 || parsed > MAX_CONCURRENCY) {
    throw new UsageError(`--concurrency takes a whole number from 1 to ${MAX_CONCURRENCY}, not '${value}'`);
  }
  return parsed;
}

/** The last path component: what the old tool named an archive by default. */
function baseName(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() ?? path;
}
