// One authenticated Glacier request, as the handlers see it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context.js';
import type { FaultRule } from './faults.js';
import type { Operation } from './operations.js';

export interface GlacierRequest {
  operation: Operation;
  ctx: EmulatorContext;
  req: IncomingMessage;
  res: ServerResponse;
  region: string;
  /** The account id as written in the path: '-' or the account's own id. */
  accountInPath: string;
  vaultName: string;
  /** The archive, upload or job id of the path, '' when none. */
  resourceId: string;
  query: URLSearchParams;
  /** The body of small-bodied operations; streaming operations read `req` themselves. */
  body: Buffer;
  /** Fault rules that fired for this request and act inside the handler. */
  faults: FaultRule[];
}

export function hasFault(request: GlacierRequest, kind: FaultRule['kind']): boolean {
  return request.faults.some((rule) => rule.kind === kind);
}

/**
 * The tree hash an upload answer reports: the true one, or with a `misreport` fault one
 * that differs (the bytes are stored as sent), as a server that stored other bytes would.
 */
export function reportedTreeHash(request: GlacierRequest, treeHash: string): string {
  if (!hasFault(request, 'misreport')) return treeHash;
  return `${treeHash.startsWith('0') ? '1' : '0'}${treeHash.slice(1)}`;
}

/** Location headers use the real account id (api-vault-put.md examples). */
export function vaultLocation(request: GlacierRequest): string {
  return `/${request.ctx.options.accountId}/vaults/${request.vaultName}`;
}
