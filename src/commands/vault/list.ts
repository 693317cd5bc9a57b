import type { DescribeVaultOutput } from '@aws-sdk/client-glacier';
import { expectPositionals, globalOptionSpecs, parseCommandLine, type OptionSpecs } from '../../cli/parseCommandLine.js';
import type { Session } from '../../cli/session.js';

export const usage = 'vault list [--json]';

export const optionSpecs = {
  ...globalOptionSpecs,
  json: { type: 'boolean', description: "one JSON object per vault and line, with ListVaults' figures" },
} as const satisfies OptionSpecs;

export async function run(argv: string[], session: Session): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  expectPositionals(positionals, [], usage);
  const { glacier } = await session.open({ options });
  const { ListVaultsCommand } = await import('@aws-sdk/client-glacier');
  let marker: string | undefined;
  do {
    const page = await glacier.send(new ListVaultsCommand({ accountId: '-', marker }));
    let text = '';
    for (const vault of page.VaultList ?? []) {
      text += options.json === true ? `${JSON.stringify(vaultObject(vault))}\n` : `${vault.VaultName}\n`;
    }
    process.stdout.write(text);
    marker = page.Marker ?? undefined;
  } while (marker !== undefined);
}

/** A vault as JSON, in Glacier's field names; what Glacier leaves out is null. */
export function vaultObject(vault: DescribeVaultOutput): Record<string, string | number | null> {
  return {
    VaultName: vault.VaultName ?? null,
    VaultARN: vault.VaultARN ?? null,
    CreationDate: vault.CreationDate ?? null,
    LastInventoryDate: vault.LastInventoryDate ?? null,
    NumberOfArchives: vault.NumberOfArchives ?? null,
    SizeInBytes: vault.SizeInBytes ?? null,
  };
}
