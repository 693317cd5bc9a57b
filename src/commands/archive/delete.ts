// archive delete: tombstone the cache row, then delete in Glacier (DeleteArchive): the row stays,
// hidden, until an inventory dated after the delete no longer lists the archive. A name
// held by identical copies (a git-annex key stored twice) deletes every copy.
import { DeleteArchiveCommand } from '@aws-sdk/client-glacier';
import { parseArchiveRef, resolveArchiveCopies } from '../../archiveRef.js';
import { openGlacier } from '../../aws/glacier.js';
import { vaultScope } from '../../aws/vaultScope.js';
import { GlacierCache } from '../../cache/glacierCache.js';
import { commandContext } from '../../cli/commandContext.js';
import { importOldCacheOnce } from '../../cli/importOldCacheOnce.js';
import { quote, warn } from '../../cli/messages.js';
import { expectPositionals, globalOptionSpecs, parseCommandLine } from '../../cli/parseCommandLine.js';
import { NotFoundError } from '../../errors.js';
import { checkVaultName } from '../../vaultName.js';

export const usage = 'archive delete VAULT NAME';

export async function run(argv: string[]): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, globalOptionSpecs, usage);
  const [vault, name] = expectPositionals(positionals, ['VAULT', 'NAME'], usage) as [string, string];
  checkVaultName(vault);
  const ref = parseArchiveRef(name);
  const { connection, cacheDir } = commandContext(options);
  const cache = GlacierCache.open(cacheDir);
  const glacier = openGlacier(connection, 'archive delete');
  try {
    const scope = await vaultScope(cache, connection, glacier, vault);
    await importOldCacheOnce(cache, connection, scope);
    for (const archive of resolveArchiveCopies(cache, scope, ref)) {
      const previous = cache.getArchive(scope, archive.id);
      // The intent is recorded first: a process killed once Glacier has deleted must not
      // leave the cache calling the archive present. A refusal puts the row back.
      cache.markDeleted(scope, archive.id, Date.now());
      try {
        await glacier.send(new DeleteArchiveCommand({ accountId: '-', vaultName: vault, archiveId: archive.id }));
      } catch (error) {
        if ((error as { name?: string }).name !== 'ResourceNotFoundException') {
          cache.undoDelete(scope, archive.id, previous);
          throw error;
        }
        if (previous === undefined) {
          cache.undoDelete(scope, archive.id, previous);
          throw new NotFoundError(`archive ${quote(name)} not found in vault ${quote(vault)}`);
        }
        // Deleted already (elsewhere, or by an earlier run that died before its answer).
        warn(`archive ${quote(name)} was already gone from vault ${quote(vault)}`);
      }
    }
  } finally {
    glacier.close();
    cache.close();
  }
}
