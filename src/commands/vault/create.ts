import { Reporter } from '../../report/reporter.js';
import { CreateVaultCommand } from '@aws-sdk/client-glacier';
import { openGlacier } from '../../aws/glacier.js';
import { commandContext } from '../../cli/commandContext.js';
import { expectPositionals, globalOptionSpecs, parseCommandLine } from '../../cli/parseCommandLine.js';
import { checkVaultName } from '../../vaultName.js';

export const usage = 'vault create VAULT';

export const optionSpecs = globalOptionSpecs;

/** CreateVault is idempotent in Glacier, so an existing vault is success (docs/compatibility.md). */
export async function run(argv: string[]): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  const [vault] = expectPositionals(positionals, ['VAULT'], usage) as [string];
  checkVaultName(vault);
  const { connection } = commandContext(options);
  const glacier = openGlacier(connection, new Reporter({ progress: false }));
  try {
    await glacier.send(new CreateVaultCommand({ accountId: '-', vaultName: vault }));
  } finally {
    glacier.close();
  }
}
