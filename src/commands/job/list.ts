// job list / glacier-jobs [VAULT]: every job of every vault (or of one), all pages, oldest
// first, in the old tool's line format (src/jobs/jobLine.ts) or as JSON lines. The session
// opens the cache and the client, not a vault: without VAULT there is none, and each job's
// vault scope comes from its ARN.
import { globalOptionSpecs, type OptionSpecs } from '../../cli/parseCommandLine.js';
import type { Session } from '../../cli/session.js';
import { parseOptionalVaultCommandLine } from '../vaultCommandLine.js';

export const usage = 'job list [--json] [VAULT]';

export const optionSpecs = {
  ...globalOptionSpecs,
  json: { type: 'boolean', description: 'one JSON object per job and line' },
} as const satisfies OptionSpecs;

export async function run(argv: string[], session: Session): Promise<void> {
  const { options, vault } = parseOptionalVaultCommandLine(argv, optionSpecs, usage);
  const context = await session.open({ options });
  const { listJobLines } = await import('../../jobs/listJobLines.js');
  for (const line of await listJobLines(context, vault, options.json === true)) {
    process.stdout.write(`${line}\n`);
  }
}
