// Maps method, path and query to an operation (the URIs of the API reference).
import type { Operation } from './operations.js';

export interface Route {
  operation: Operation;
  account: string;
  vaultName: string;
  resourceId: string;
}

type ByMethod = Partial<Record<string, Operation>>;

/** Vault subresources whose operations differ by method only. */
const VAULT_SUBRESOURCES: Record<string, ByMethod> = {
  'notification-configuration': { PUT: 'SetVaultNotifications', GET: 'GetVaultNotifications', DELETE: 'DeleteVaultNotifications' },
  'access-policy': { PUT: 'SetVaultAccessPolicy', GET: 'GetVaultAccessPolicy', DELETE: 'DeleteVaultAccessPolicy' },
  'lock-policy': { POST: 'InitiateVaultLock', GET: 'GetVaultLock', DELETE: 'AbortVaultLock' },
};

const ACCOUNT_RESOURCES: Record<string, ByMethod> = {
  'policies/data-retrieval': { GET: 'GetDataRetrievalPolicy', PUT: 'SetDataRetrievalPolicy' },
  'provisioned-capacity': { GET: 'ListProvisionedCapacity', POST: 'PurchaseProvisionedCapacity' },
};

export function routeOf(method: string, segments: string[], query: URLSearchParams): Route | undefined {
  const [account, vaults, vaultName, collection, resourceId, tail, ...rest] = segments;
  if (account === undefined) return undefined;
  const route = (operation: Operation | undefined): Route | undefined =>
    operation === undefined ? undefined : { operation, account, vaultName: vaultName ?? '', resourceId: resourceId ?? '' };
  if (vaults !== 'vaults') {
    if (segments.length > 3) return undefined;
    return route(ACCOUNT_RESOURCES[segments.slice(1).join('/')]?.[method]);
  }
  if (rest.length > 0) return undefined;
  if (vaultName === undefined) return route(method === 'GET' ? 'ListVaults' : undefined);
  if (collection === undefined) return route(({ PUT: 'CreateVault', GET: 'DescribeVault', DELETE: 'DeleteVault' } as ByMethod)[method]);
  if (collection === 'archives') {
    if (resourceId === undefined) return route(method === 'POST' ? 'UploadArchive' : undefined);
    return route(tail === undefined && method === 'DELETE' ? 'DeleteArchive' : undefined);
  }
  if (collection === 'multipart-uploads') {
    if (resourceId === undefined) return route(({ POST: 'InitiateMultipartUpload', GET: 'ListMultipartUploads' } as ByMethod)[method]);
    if (tail !== undefined) return undefined;
    return route(({ PUT: 'UploadPart', GET: 'ListParts', POST: 'CompleteMultipartUpload', DELETE: 'AbortMultipartUpload' } as ByMethod)[method]);
  }
  if (collection === 'jobs') {
    if (resourceId === undefined) return route(({ POST: 'InitiateJob', GET: 'ListJobs' } as ByMethod)[method]);
    if (tail === undefined) return route(method === 'GET' ? 'DescribeJob' : undefined);
    return route(tail === 'output' && method === 'GET' ? 'GetJobOutput' : undefined);
  }
  if (collection === 'tags' && resourceId === undefined) {
    if (method === 'GET') return route('ListTagsForVault');
    if (method !== 'POST') return undefined;
    return route(({ add: 'AddTagsToVault', remove: 'RemoveTagsFromVault' } as ByMethod)[query.get('operation') ?? '']);
  }
  if (collection === 'lock-policy' && resourceId !== undefined) {
    return route(tail === undefined && method === 'POST' ? 'CompleteVaultLock' : undefined);
  }
  if (resourceId !== undefined) return undefined;
  return route(VAULT_SUBRESOURCES[collection]?.[method]);
}

/** Operations whose body is data, streamed by the handler instead of read up front. */
export const STREAMING_OPERATIONS: ReadonlySet<Operation> = new Set(['UploadArchive', 'UploadPart']);
