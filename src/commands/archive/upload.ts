// `glacier archive upload VAULT FILE|-` (also `glacier-upload`): one file or stdin into
// one archive. Everything the command line can get wrong is refused here, before the
// input is read or any request made.
import { expectPositionals, globalOptionSpecs, limitRateSpec, parseCommandLine, type OptionSpecs } from '../../cli/parseCommandLine.js';
import { UsageError } from '../../errors.js';
import { sizeOfAnnexKey } from '../../upload/annexKeySize.js';
import { checkArchiveName } from '../../upload/archiveName.js';
import { byteSizeOption } from '../../byteSize.js';
import { isValidPartSize, planPartSize } from '../../upload/partSizePlan.js';
import { parseRate } from '../../streams/rateLimiter.js';
import type { Session } from '../../cli/session.js';
import { resumeCommand } from '../../upload/resumeCommand.js';
import { openUploadInput } from '../../upload/uploadInput.js';
import { checkVaultName } from '../../vaultName.js';

export const usage =
  'archive upload [--name NAME] [--part-size SIZE] [--concurrency N] [--expected-size SIZE] [--resume] [--print-id] [--progress|--no-progress] [--limit-rate RATE] VAULT FILE|-';

const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 64;

export const optionSpecs = {
  ...globalOptionSpecs,
  name: { type: 'string', value: 'NAME', description: "the archive's name (its description)", default: "FILE's base name; required for stdin" },
  'part-size': { type: 'string', value: 'SIZE', description: 'multipart part size, a power of two from 1M to 4G', default: 'chosen from the size; 64M for stdin' },
  concurrency: { type: 'string', value: 'N', description: 'parts in flight at once', default: String(DEFAULT_CONCURRENCY) },
  'expected-size': { type: 'string', value: 'SIZE', description: 'size of stdin input, to choose the part size', default: "a git-annex key's size" },
  resume: { type: 'boolean', description: 'finish an interrupted upload of the same input' },
  'print-id': { type: 'boolean', description: "print the archive's id on stdout" },
  progress: { type: 'boolean', description: 'show the progress line', default: 'on when stderr is a terminal' },
  'no-progress': { type: 'boolean', description: 'never show the progress line' },
  'limit-rate': limitRateSpec,
} as const satisfies OptionSpecs;

export async function run(argv: string[], session: Session): Promise<void> {
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
  const limiter = parseRate(options['limit-rate']);

  const input = await openUploadInput(path);
  try {
    const expectedSize = input.size ?? expectedGiven ?? sizeOfAnnexKey(name);
    const partSize = planPartSize({
      ...(partSizeGiven !== undefined ? { partSize: partSizeGiven } : {}),
      ...(expectedSize !== undefined ? { size: expectedSize } : {}),
    });
    // Opened once the input is known to be worth sending: a missing, empty or oversized
    // input is refused without loading the cache or the AWS SDK.
    const context = await session.open({ options });
    const { uploadArchive } = await import('../../upload/uploadArchive.js');
    const archiveId = await uploadArchive(context, {
      vault,
      name,
      input,
      partSize,
      partSizeGiven: partSizeGiven !== undefined,
      ...(expectedSize !== undefined ? { expectedSize } : {}),
      concurrency,
      resume: options.resume === true,
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
