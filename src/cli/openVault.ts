// What a command on one vault opens before its own work, in one place: the cache, the
// Glacier client, the vault's scope (account and region), and the Python tool's cache
// imported into it once. Everything opened here is closed here, whatever happens.
// Only commands that talk to the network import this module: it loads the AWS SDK.
import { Reporter } from '../report/reporter.js';
import { openGlacier, type Glacier } from '../aws/glacier.js';
import { vaultScope } from '../aws/vaultScope.js';
import type { Connection } from '../aws/connection.js';
import { GlacierCache } from '../cache/glacierCache.js';
import type { VaultScope } from '../cache/records.js';
import type { CommandContext } from './commandContext.js';
import { importOldCacheOnce } from '../cache/importOldCacheOnce.js';

export interface OpenVault {
  connection: Connection;
  cache: GlacierCache;
  glacier: Glacier;
  scope: VaultScope;
}

export async function withVault<T>(context: CommandContext, vault: string, work: (opened: OpenVault) => Promise<T>): Promise<T> {
  const { connection } = context;
  const cache = GlacierCache.open(context.cacheDir);
  const glacier = openGlacier(connection, new Reporter({ progress: false }));
  try {
    const scope = await vaultScope(cache, connection, glacier, vault);
    await importOldCacheOnce(cache, connection, scope, new Reporter({ progress: false }));
    return await work({ connection, cache, glacier, scope });
  } finally {
    glacier.close();
    cache.close();
  }
}
