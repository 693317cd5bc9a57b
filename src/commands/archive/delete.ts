// archive delete: tombstone the cache row, then delete in Glacier (DeleteArchive): the row stays,
// hidden, until an inventory dated after the delete no longer lists the archive. A name
// held by identical copies (a git-annex key stored twice) deletes every copy. Several
// names are all resolved first: an unknown or ambiguous one stops the command before the
// first delete, unless --continue skips it.
import { parseArchiveRef, resolveArchiveCopies } from '../../archiveRef.js';
import type { ArchiveRecord } from '../../cache/records.js';
import { quote } from '../../report/quote.js';
import { globalOptionSpecs, parseCommandLine, type OptionSpecs } from '../../cli/parseCommandLine.js';
import type { Session } from '../../cli/session.js';
import { AmbiguousNameError, FailureError, NotFoundError, UsageError } from '../../errors.js';
import { checkVaultName } from '../../vaultName.js';

export const usage = 'archive delete [--continue] VAULT NAME...';

export const optionSpecs = {
  ...globalOptionSpecs,
  continue: { type: 'boolean', description: 'skip unknown or ambiguous names (with a warning) instead of deleting nothing' },
} as const satisfies OptionSpecs;

export async function run(argv: string[], session: Session): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  const [vault, ...names] = positionals;
  if (vault === undefined || names.length === 0) throw new UsageError(`missing ${vault === undefined ? 'VAULT NAME' : 'NAME'}; usage: ${usage}`);
  if (vault === '' || names.includes('')) throw new UsageError(`${vault === '' ? 'VAULT' : 'NAME'} is empty; usage: ${usage}`);
  checkVaultName(vault);
  const refs = names.map((name) => ({ name, ref: parseArchiveRef(name) }));
  const { cache, glacier, scope, reporter } = await session.open({ options, vault });
  const { deleteArchive } = await import('../../aws/deleteArchive.js');
  const resolved: { name: string; archives: ArchiveRecord[] }[] = [];
  const refused: (NotFoundError | AmbiguousNameError)[] = [];
  for (const { name, ref } of refs) {
    try {
      resolved.push({ name, archives: resolveArchiveCopies(cache, scope, ref) });
    } catch (failure) {
      if (!(failure instanceof NotFoundError || failure instanceof AmbiguousNameError)) throw failure;
      refused.push(failure);
    }
  }
  if (refused.length > 0 && options.continue !== true) {
    if (names.length === 1) throw refused[0] as Error;
    for (const failure of refused) reporter.error(failure.message);
    throw new FailureError(`nothing deleted: ${refused.length} of ${names.length} names could not be resolved (--continue skips them)`);
  }
  for (const failure of refused) reporter.warn(`skipped: ${failure.message}`);
  let missing = 0;
  for (const { name, archives } of resolved) {
    for (const archive of archives) {
      const outcome = await deleteArchive(glacier, cache, scope, archive.id);
      if (outcome === 'unknown') {
        if (names.length === 1) throw new NotFoundError(`archive ${quote(name)} not found in vault ${quote(vault)}`);
        reporter.error(`archive ${quote(name)} not found in vault ${quote(vault)}`);
        missing++;
      }
      // Deleted already (elsewhere, or by an earlier run that died before its answer).
      if (outcome === 'already gone') reporter.warn(`archive ${quote(name)} was already gone from vault ${quote(vault)}`);
    }
  }
  if (missing > 0) throw new FailureError(`${missing} of ${names.length} archives were not found in vault ${quote(vault)}`);
}
