// The cache partition of a vault: account + region + vault name. The account is learned
// once per set of credentials from a vault ARN (DescribeVault), then read from the cache,
// so cached lookups need no request.
import { DescribeVaultCommand } from '@aws-sdk/client-glacier';
import type { GlacierCache } from '../cache/glacierCache.js';
import type { VaultScope } from '../cache/records.js';
import type { Connection } from './connection.js';
import type { Glacier } from './glacier.js';
import { identityKey, knownVaultScope } from './knownVaultScope.js';
import { vaultNotFound } from './vaultNotFound.js';

/** arn:aws:glacier:REGION:ACCOUNT:vaults/NAME → ACCOUNT */
export function accountOfArn(arn: string): string {
  const account = arn.split(':')[4];
  if (account === undefined || account === '') throw new Error(`unexpected vault ARN '${arn}'`);
  return account;
}

export { knownVaultScope };

export async function vaultScope(cache: GlacierCache, connection: Connection, glacier: Glacier, vault: string): Promise<VaultScope> {
  const known = knownVaultScope(cache, connection, vault);
  if (known !== undefined) return known;
  const described = await glacier.send(new DescribeVaultCommand({ accountId: '-', vaultName: vault })).catch(vaultNotFound(vault, connection.region));
  const account = accountOfArn(described.VaultARN ?? '');
  cache.rememberAccount(identityKey(connection), account);
  return { account, region: connection.region, vault };
}
