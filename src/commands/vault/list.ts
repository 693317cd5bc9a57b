import { ListVaultsCommand } from '@aws-sdk/client-glacier';
import { openGlacier } from '../../aws/glacier.js';
import { commandContext } from '../../cli/commandContext.js';
import { expectPositionals, globalOptionSpecs, parseCommandLine } from '../../cli/parseCommandLine.js';

export const usage = 'vault list';

export const optionSpecs = globalOptionSpecs;

export async function run(argv: string[]): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  expectPositionals(positionals, [], usage);
  const { connection } = commandContext(options);
  const glacier = openGlacier(connection);
  try {
    let marker: string | undefined;
    do {
      const page = await glacier.send(new ListVaultsCommand({ accountId: '-', marker }));
      for (const vault of page.VaultList ?? []) process.stdout.write(`${vault.VaultName}\n`);
      marker = page.Marker ?? undefined;
    } while (marker !== undefined);
  } finally {
    glacier.close();
  }
}
