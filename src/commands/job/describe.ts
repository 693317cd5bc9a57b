// job describe VAULT JOBID: every field DescribeJob gives (api-describe-job-get.md), one
// `Key: value` line each.
import { expectPositionals, globalOptionSpecs, parseCommandLine, type OptionSpecs } from '../../cli/parseCommandLine.js';
import type { Session } from '../../cli/session.js';
import { checkVaultName } from '../../vaultName.js';

export const usage = 'job describe [--json] VAULT JOBID';

export const optionSpecs = {
  ...globalOptionSpecs,
  json: { type: 'boolean', description: 'the job as one JSON object' },
} as const satisfies OptionSpecs;

export async function run(argv: string[], session: Session): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  const [vault, jobId] = expectPositionals(positionals, ['VAULT', 'JOBID'], usage) as [string, string];
  checkVaultName(vault);
  const context = await session.open({ options });
  const { describeJobLines } = await import('../../jobs/describeJobLines.js');
  for (const line of await describeJobLines(context.glacier, vault, jobId, options.json === true)) process.stdout.write(`${line}\n`);
}
