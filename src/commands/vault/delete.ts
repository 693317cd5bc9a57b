// vault delete: DeleteVault (api-vault-delete.md), then the cache forgets the vault.
import { Reporter } from '../../report/reporter.js';
import { DeleteVaultCommand } from '@aws-sdk/client-glacier';
import { knownVaultScope } from '../../aws/knownVaultScope.js';
import { openGlacier } from '../../aws/glacier.js';
import { vaultNotFound } from '../../aws/vaultNotFound.js';
import { GlacierCache } from '../../cache/glacierCache.js';
import { commandContext } from '../../cli/commandContext.js';
import { quote } from '../../report/quote.js';
import { expectPositionals, globalOptionSpecs, parseCommandLine } from '../../cli/parseCommandLine.js';
import { FailureError } from '../../errors.js';
import { checkVaultName } from '../../vaultName.js';

export const usage = 'vault delete VAULT';

export const optionSpecs = globalOptionSpecs;

export async function run(argv: string[]): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  const [vault] = expectPositionals(positionals, ['VAULT'], usage) as [string];
  checkVaultName(vault);
  const { connection, cacheDir } = commandContext(options);
  const glacier = openGlacier(connection, new Reporter({ progress: false }));
  try {
    await glacier
      .send(new DeleteVaultCommand({ accountId: '-', vaultName: vault }))
      .catch(notEmpty(vault))
      .catch(vaultNotFound(vault, connection.region));
  } finally {
    glacier.close();
  }
  const cache = GlacierCache.open(cacheDir);
  try {
    const scope = knownVaultScope(cache, connection, vault);
    if (scope !== undefined) cache.forgetVault(scope);
  } finally {
    cache.close();
  }
}

/**
 * Glacier refuses to delete a vault that held archives as of its last inventory or was
 * written to since (InvalidParameterValueException, api-vault-delete.md).
 */
function notEmpty(vault: string): (error: unknown) => never {
  return (error: unknown) => {
    if ((error as { name?: string }).name === 'InvalidParameterValueException') {
      throw new FailureError(
        `Glacier refuses to delete vault ${quote(vault)}: it is not empty, or was written to since its last inventory. ` +
          'Glacier only knows a vault is empty once an inventory no longer lists any archive: ' +
          'delete every archive, wait for the next inventory (about a day after the last delete), then try again',
      );
    }
    throw error;
  };
}
