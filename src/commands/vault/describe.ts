// vault describe: DescribeVault (api-vault-get.md) as `Key: value` lines, in Glacier's
// field names; fields Glacier leaves empty (LastInventoryDate of a new vault) are omitted.
import { DescribeVaultCommand } from '@aws-sdk/client-glacier';
import { openGlacier } from '../../aws/glacier.js';
import { vaultNotFound } from '../../aws/vaultNotFound.js';
import { commandContext } from '../../cli/commandContext.js';
import { expectPositionals, globalOptionSpecs, parseCommandLine } from '../../cli/parseCommandLine.js';
import { checkVaultName } from '../../vaultName.js';

export const usage = 'vault describe [--json] [-h] VAULT';

export const optionSpecs = globalOptionSpecs;

export async function run(argv: string[]): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  const [vault] = expectPositionals(positionals, ['VAULT'], usage) as [string];
  checkVaultName(vault);
  const { connection } = commandContext(options);
  const glacier = openGlacier(connection, 'vault describe');
  try {
    const described = await glacier
      .send(new DescribeVaultCommand({ accountId: '-', vaultName: vault }))
      .catch(vaultNotFound(vault, connection.region));
    const fields: [string, string | number | undefined | null][] = [
      ['VaultName', described.VaultName],
      ['VaultARN', described.VaultARN],
      ['CreationDate', described.CreationDate],
      ['LastInventoryDate', described.LastInventoryDate],
      ['NumberOfArchives', described.NumberOfArchives],
      ['SizeInBytes', described.SizeInBytes],
    ];
    let text = '';
    for (const [key, value] of fields) if (value !== undefined && value !== null) text += `${key}: ${value}\n`;
    process.stdout.write(text);
  } finally {
    glacier.close();
  }
}
