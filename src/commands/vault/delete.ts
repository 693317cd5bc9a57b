// vault delete: DeleteVault (api-vault-delete.md), then the cache forgets the vault.
import { isAwsErrorNamed } from '../../aws/describeAwsError.js';
import { knownVaultScope } from '../../aws/knownVaultScope.js';
import { vaultNotFound } from '../../aws/vaultNotFound.js';
import { quote } from '../../report/quote.js';
import { globalOptionSpecs } from '../../cli/parseCommandLine.js';
import type { Session } from '../../cli/session.js';
import { FailureError } from '../../errors.js';
import { parseVaultCommandLine } from '../vaultCommandLine.js';

export const usage = 'vault delete VAULT';

export const optionSpecs = globalOptionSpecs;

export async function run(argv: string[], session: Session): Promise<void> {
  const { options, vault } = parseVaultCommandLine(argv, optionSpecs, usage);
  const { connection, glacier, cache } = await session.open({ options });
  const { DeleteVaultCommand } = await import('@aws-sdk/client-glacier');
  await glacier
    .send(new DeleteVaultCommand({ accountId: '-', vaultName: vault }))
    .catch(notEmpty(vault))
    .catch(vaultNotFound(vault, connection.region));
  const scope = knownVaultScope(cache, connection, vault);
  if (scope !== undefined) cache.forgetVault(scope);
}

/**
 * Glacier refuses to delete a vault that held archives as of its last inventory or was
 * written to since (InvalidParameterValueException, api-vault-delete.md).
 */
function notEmpty(vault: string): (error: unknown) => never {
  return (error: unknown) => {
    if (isAwsErrorNamed(error, 'InvalidParameterValueException')) {
      throw new FailureError(
        `Glacier refuses to delete vault ${quote(vault)}: it is not empty, or was written to since its last inventory. ` +
          'Glacier only knows a vault is empty once an inventory no longer lists any archive: ' +
          'delete every archive, wait for the next inventory (about a day after the last delete), then try again',
      );
    }
    throw error;
  };
}
