// vault describe: DescribeVault (api-vault-get.md) as `Key: value` lines, in Glacier's
// field names; fields Glacier leaves empty (LastInventoryDate of a new vault) are omitted.
import { vaultNotFound } from '../../aws/vaultNotFound.js';
import { formatByteSize } from '../../byteSize.js';
import { vaultObject } from './list.js';
import { globalOptionSpecs, type OptionSpecs } from '../../cli/parseCommandLine.js';
import type { Session } from '../../cli/session.js';
import { parseVaultCommandLine } from '../vaultCommandLine.js';

export const usage = 'vault describe [--json] [-h] VAULT';

export const optionSpecs = {
  ...globalOptionSpecs,
  json: { type: 'boolean', description: 'the vault as one JSON object' },
  'human-readable': { type: 'boolean', short: 'h', description: 'SizeInBytes as 1.5G rather than bytes' },
} as const satisfies OptionSpecs;

export async function run(argv: string[], session: Session): Promise<void> {
  const { options, vault } = parseVaultCommandLine(argv, optionSpecs, usage);
  const { connection, glacier } = await session.open({ options });
  const { DescribeVaultCommand } = await import('@aws-sdk/client-glacier');
  const described = await glacier.send(new DescribeVaultCommand({ accountId: '-', vaultName: vault })).catch(vaultNotFound(vault, connection.region));
  const fields = vaultObject(described);
  if (options['human-readable'] === true && typeof fields.SizeInBytes === 'number') fields.SizeInBytes = formatByteSize(fields.SizeInBytes);
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(fields)}\n`);
    return;
  }
  let text = '';
  for (const [key, value] of Object.entries(fields)) if (value !== null) text += `${key}: ${value}\n`;
  process.stdout.write(text);
}
