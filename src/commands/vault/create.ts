import { globalOptionSpecs } from '../../cli/parseCommandLine.js';
import type { Session } from '../../cli/session.js';
import { parseVaultCommandLine } from '../vaultCommandLine.js';

export const usage = 'vault create VAULT';

export const optionSpecs = globalOptionSpecs;

/** CreateVault is idempotent in Glacier, so an existing vault is success (docs/compatibility.md). */
export async function run(argv: string[], session: Session): Promise<void> {
  const { options, vault } = parseVaultCommandLine(argv, optionSpecs, usage);
  const { glacier } = await session.open({ options });
  const { CreateVaultCommand } = await import('@aws-sdk/client-glacier');
  await glacier.send(new CreateVaultCommand({ accountId: '-', vaultName: vault }));
}
