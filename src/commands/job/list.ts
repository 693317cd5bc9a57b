// job list / glacier-jobs [VAULT]: every job of every vault (or of one), all pages, oldest
// first, in the old tool's line format (src/jobs/jobLine.ts) or as JSON lines.
import { commandContext } from '../../cli/commandContext.js';
import { globalOptionSpecs, parseCommandLine, type OptionSpecs } from '../../cli/parseCommandLine.js';
import { UsageError } from '../../errors.js';
import { checkVaultName } from '../../vaultName.js';

export const usage = 'job list [--json] [VAULT]';

export const optionSpecs = {
  ...globalOptionSpecs,
  json: { type: 'boolean', description: 'one JSON object per job and line' },
} as const satisfies OptionSpecs;

export async function run(argv: string[]): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'; usage: ${usage}`);
  const vault = positionals[0];
  if (vault !== undefined) checkVaultName(vault);
  const { connection, cacheDir } = commandContext(options);
  const { listJobLines } = await import('../../jobs/listJobLines.js');
  for (const line of await listJobLines(connection, cacheDir, vault, options.json === true)) {
    process.stdout.write(`${line}\n`);
  }
}
