// archive delete: delete in Glacier (DeleteArchive), then tombstone the cache row: it stays,
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

export const optionSpecs = globalOptionSpecs;

export async function run(argv: string[]): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
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
      const known = cache.getArchive(scope, archive.id) !== undefined;
      try {
        await glacier.send(new DeleteArchiveCommand({ accountId: '-', vaultName: vault, archiveId: archive.id }));
      } catch (error) {
        if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
        if (!known) throw new NotFoundError(`archive ${quote(name)} not found in vault ${quote(vault)}`);
        // Deleted already (elsewhere, or by an earlier run that died before its tombstone).
        warn(`archive ${quote(name)} was already gone from vault ${quote(vault)}`);
      }
      cache.markDeleted(scope, archive.id, Date.now());
    }
  } finally {
    glacier.close();
    cache.close();
  }
}
