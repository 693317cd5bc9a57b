// The command line of a command on one vault: its options, and VAULT as its one operand,
// checked before anything is opened (usage errors never wait on the network).
import { expectPositionals, parseCommandLine, type ParsedCommandLine, type OptionSpecs } from '../cli/parseCommandLine.js';
import { UsageError } from '../errors.js';
import { checkVaultName } from '../vaultName.js';

export function parseVaultCommandLine<S extends OptionSpecs>(argv: readonly string[], specs: S, usage: string): { options: ParsedCommandLine<S>['options']; vault: string } {
  const { options, positionals } = parseCommandLine(argv, specs, usage);
  const [vault] = expectPositionals(positionals, ['VAULT'], usage) as [string];
  return { options, vault: checkVaultName(vault) };
}

/** The same for `[VAULT]`: one vault, or (undefined) every vault of the region. */
export function parseOptionalVaultCommandLine<S extends OptionSpecs>(
  argv: readonly string[],
  specs: S,
  usage: string,
): { options: ParsedCommandLine<S>['options']; vault: string | undefined } {
  const { options, positionals } = parseCommandLine(argv, specs, usage);
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'; usage: ${usage}`);
  const [vault] = positionals;
  return { options, vault: vault === undefined ? undefined : checkVaultName(vault) };
}
