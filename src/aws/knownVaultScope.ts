// The cache partition of a vault when the cache already knows the account behind these
// credentials: no request, and no AWS SDK loaded (cached answers stay fast).
import type { GlacierCache } from '../cache/glacierCache.js';
import type { VaultScope } from '../cache/records.js';
import { credentialIdentity, type Connection } from './connection.js';

/** The key under which the cache remembers the account of these credentials in this region. */
export function identityKey(connection: Connection): string {
  return `${credentialIdentity(connection)}@${connection.region}`;
}

export function knownVaultScope(cache: GlacierCache, connection: Connection, vault: string): VaultScope | undefined {
  const account = cache.accountOf(identityKey(connection));
  return account === undefined ? undefined : { account, region: connection.region, vault };
}
