// The HTTP server: routing, the version header, SigV4, fault injection, and the one
// place where a GlacierError becomes an AWS-shaped error response.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleAdmin } from './admin.js';
import type { EmulatorContext } from './context.js';
import { GlacierError, invalidParameter, missingParameter } from './errors.js';
import { faultError, type FaultRule } from './faults.js';
import { headerText, readSmallBody, sendError } from './http.js';
import { newRequestId } from './ids.js';
import type { Operation } from './operations.js';
import type { GlacierRequest } from './request.js';
import { routeOf, STREAMING_OPERATIONS } from './routes.js';
import { verifySignature } from './sigv4.js';
import { createVault, deleteVault, describeVault, listVaults } from './handlers/vaults.js';
import { deleteArchive, uploadArchive } from './handlers/archives.js';
import { abortMultipartUpload, completeMultipartUpload, initiateMultipartUpload, listMultipartUploads, listParts, uploadPart } from './handlers/multipart.js';
import { cutConnection, describeJobRequest, getJobOutput, initiateJob, listJobs } from './handlers/jobs.js';
import {
  addTagsToVault,
  deleteVaultAccessPolicy,
  deleteVaultNotifications,
  getVaultAccessPolicy,
  getVaultNotifications,
  listTagsForVault,
  removeTagsFromVault,
  setVaultAccessPolicy,
  setVaultNotifications,
} from './handlers/vaultSettings.js';
import { abortVaultLock, completeVaultLock, getVaultLock, initiateVaultLock } from './handlers/vaultLock.js';
import { getDataRetrievalPolicy, listProvisionedCapacity, purchaseProvisionedCapacity, setDataRetrievalPolicy } from './handlers/account.js';

const HANDLERS: Record<Operation, (request: GlacierRequest) => Promise<void>> = {
  CreateVault: createVault,
  DescribeVault: describeVault,
  ListVaults: listVaults,
  DeleteVault: deleteVault,
  UploadArchive: uploadArchive,
  DeleteArchive: deleteArchive,
  InitiateMultipartUpload: initiateMultipartUpload,
  UploadPart: uploadPart,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  InitiateJob: initiateJob,
  DescribeJob: describeJobRequest,
  ListJobs: listJobs,
  GetJobOutput: getJobOutput,
  SetVaultNotifications: setVaultNotifications,
  GetVaultNotifications: getVaultNotifications,
  DeleteVaultNotifications: deleteVaultNotifications,
  SetVaultAccessPolicy: setVaultAccessPolicy,
  GetVaultAccessPolicy: getVaultAccessPolicy,
  DeleteVaultAccessPolicy: deleteVaultAccessPolicy,
  InitiateVaultLock: initiateVaultLock,
  GetVaultLock: getVaultLock,
  CompleteVaultLock: completeVaultLock,
  AbortVaultLock: abortVaultLock,
  AddTagsToVault: addTagsToVault,
  ListTagsForVault: listTagsForVault,
  RemoveTagsFromVault: removeTagsFromVault,
  GetDataRetrievalPolicy: getDataRetrievalPolicy,
  SetDataRetrievalPolicy: setDataRetrievalPolicy,
  PurchaseProvisionedCapacity: purchaseProvisionedCapacity,
  ListProvisionedCapacity: listProvisionedCapacity,
};

export function createEmulatorServer(ctx: EmulatorContext, log: (line: string) => void): Server {
  const server = createServer((req, res) => {
    const started = Date.now();
    res.setHeader('x-amzn-RequestId', newRequestId());
    res.setHeader('Date', new Date().toUTCString());
    let operation = '-';
    res.on('finish', () => log(`${req.method} ${req.url} ${operation} ${res.statusCode} ${Date.now() - started}ms`));
    serve(ctx, req, res, (name) => (operation = name)).catch((error: unknown) => {
      if (!(error instanceof GlacierError)) log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      const glacierError = error instanceof GlacierError ? error : new GlacierError(500, 'ServiceUnavailableException', 'Internal error in the emulator');
      if (res.headersSent || req.socket.destroyed) {
        res.destroy();
        return;
      }
      sendError(res, glacierError);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;
  return server;
}

async function serve(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, named: (operation: string) => void): Promise<void> {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const rawPath = queryStart < 0 ? url : url.slice(0, queryStart);
  const rawQuery = queryStart < 0 ? '' : url.slice(queryStart + 1);
  let segments: string[];
  try {
    segments = rawPath
      .split('/')
      .filter((segment) => segment !== '')
      .map(decodeURIComponent);
  } catch {
    throw invalidParameter(`Invalid path: ${rawPath}`);
  }
  if (segments[0] === '_emulator') {
    named('admin');
    await handleAdmin(ctx, req, res, segments.slice(1), new URLSearchParams(rawQuery));
    return;
  }
  const method = req.method ?? 'GET';
  const query = new URLSearchParams(rawQuery);
  const route = routeOf(method, segments, query);
  // A modelled code, so that SDKs raise a typed error rather than a generic one.
  if (route === undefined) throw invalidParameter(`No Glacier operation for ${method} ${rawPath}`);
  named(route.operation);
  ctx.requestCounts.set(route.operation, (ctx.requestCounts.get(route.operation) ?? 0) + 1);

  const streaming = STREAMING_OPERATIONS.has(route.operation);
  const body = streaming ? Buffer.alloc(0) : await readSmallBody(req);
  if (headerText(req, 'x-amz-glacier-version') !== '2012-06-01') {
    throw missingParameter('Required header or parameter is missing or invalid: x-amz-glacier-version (2012-06-01)');
  }
  const bodySha256 = streaming ? undefined : createHash('sha256').update(body).digest('hex');
  const claimed = headerText(req, 'x-amz-content-sha256');
  if (streaming && claimed === undefined) throw missingParameter('Required header is missing: x-amz-content-sha256');
  const region = verifySignature({ method, rawPath, rawQuery, headers: req.headers, bodySha256 }, ctx.credentials);
  if (!streaming && claimed !== undefined && claimed !== 'UNSIGNED-PAYLOAD' && claimed.toLowerCase() !== bodySha256) {
    throw invalidParameter('Checksum mismatch: x-amz-content-sha256 does not match the request body');
  }
  if (route.account !== '-' && route.account !== ctx.options.accountId) {
    throw new GlacierError(403, 'AccessDeniedException', `Access denied to account ${route.account}`);
  }

  const fired = ctx.faults.draw(route.operation);
  const inHandler: FaultRule[] = [];
  for (const rule of fired) {
    if (rule.kind === 'delay') {
      await sleep(rule.delayMs);
      continue;
    }
    const error = faultError(rule.kind);
    if (error !== undefined) throw error;
    if ((rule.kind === 'reset' || rule.kind === 'truncate') && route.operation !== 'GetJobOutput') {
      await cutRequest(req, rule.kind);
      return;
    }
    inHandler.push(rule);
  }

  await HANDLERS[route.operation]({
    operation: route.operation,
    ctx,
    req,
    res,
    region,
    accountInPath: route.account,
    vaultName: route.vaultName,
    resourceId: route.resourceId,
    query,
    body,
    faults: inHandler,
  });
}

/** A connection lost mid-request: some of the body is read, then the socket goes. */
async function cutRequest(req: IncomingMessage, how: 'reset' | 'truncate'): Promise<void> {
  if (!req.readableEnded && Number(headerText(req, 'content-length') ?? 0) > 0) {
    await new Promise<void>((resolve) => {
      req.once('data', () => resolve());
      req.once('end', () => resolve());
      req.once('error', () => resolve());
    });
  }
  cutConnection(req.socket, how);
}
