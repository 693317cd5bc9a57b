// Maps method and path to an operation (the URIs of the API pages).
import type { Operation } from './operations.js';

export interface Route {
  operation: Operation;
  account: string;
  vaultName: string;
  resourceId: string;
}

export function routeOf(method: string, segments: string[]): Route | undefined {
  const [account, vaults, vaultName, collection, resourceId, tail, ...rest] = segments;
  if (account === undefined || vaults !== 'vaults' || rest.length > 0) return undefined;
  const route = (operation: Operation): Route => ({ operation, account, vaultName: vaultName ?? '', resourceId: resourceId ?? '' });
  if (vaultName === undefined) return method === 'GET' ? route('ListVaults') : undefined;
  if (collection === undefined) {
    return ({ PUT: route('CreateVault'), GET: route('DescribeVault'), DELETE: route('DeleteVault') } as Record<string, Route>)[method];
  }
  if (collection === 'archives') {
    if (resourceId === undefined) return method === 'POST' ? route('UploadArchive') : undefined;
    return tail === undefined && method === 'DELETE' ? route('DeleteArchive') : undefined;
  }
  if (collection === 'multipart-uploads') {
    if (resourceId === undefined) {
      return ({ POST: route('InitiateMultipartUpload'), GET: route('ListMultipartUploads') } as Record<string, Route>)[method];
    }
    if (tail !== undefined) return undefined;
    return (
      {
        PUT: route('UploadPart'),
        GET: route('ListParts'),
        POST: route('CompleteMultipartUpload'),
        DELETE: route('AbortMultipartUpload'),
      } as Record<string, Route>
    )[method];
  }
  if (collection === 'jobs') {
    if (resourceId === undefined) return ({ POST: route('InitiateJob'), GET: route('ListJobs') } as Record<string, Route>)[method];
    if (tail === undefined) return method === 'GET' ? route('DescribeJob') : undefined;
    return tail === 'output' && method === 'GET' ? route('GetJobOutput') : undefined;
  }
  return undefined;
}

/** Operations whose body is data, streamed by the handler instead of read up front. */
export const STREAMING_OPERATIONS: ReadonlySet<Operation> = new Set(['UploadArchive', 'UploadPart']);
