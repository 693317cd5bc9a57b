// Multipart uploads (api-multipart-*.md, api-upload-part.md).
import { isoDate } from '../clock.js';
import { archiveDescriptionFrom } from '../description.js';
import { checksumMismatch, invalidParameter, missingParameter } from '../errors.js';
import { headerText, sendEmpty, sendJson } from '../http.js';
import { hasFault, reportedTreeHash, vaultLocation, type GlacierRequest } from '../request.js';
import { commitArchive } from '../store/archives.js';
import { receiveBody } from '../store/bodyReceiver.js';
import { checkPartSize, MAX_PARTS } from '../store/multipart.js';
import { contentLength, requiredHash } from './archives.js';
import { pageLimit } from './paging.js';

export async function initiateMultipartUpload(request: GlacierRequest): Promise<void> {
  const { ctx, req } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const partSize = checkPartSize(headerText(req, 'x-amz-part-size'));
  const header = req.headers['x-amz-archive-description'];
  const description = header === undefined ? null : archiveDescriptionFrom(header);
  const upload = await ctx.uploads.initiate(vault, partSize, description, ctx.clock.now());
  sendEmpty(request.res, 201, {
    Location: `${vaultLocation(request)}/multipart-uploads/${upload.meta.id}`,
    'x-amz-multipart-upload-id': upload.meta.id,
  });
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/\*$/;

export async function uploadPart(request: GlacierRequest): Promise<void> {
  const { ctx, req } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const upload = await ctx.uploads.get(vault, request.resourceId, ctx.clock.now());
  const { partSize } = upload.meta;
  const rangeText = headerText(req, 'content-range');
  if (rangeText === undefined) throw missingParameter('Required header is missing: Content-Range');
  const match = CONTENT_RANGE.exec(rangeText.trim());
  if (match === null) throw invalidParameter(`Invalid Content-Range: ${rangeText}`);
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (end < start) throw invalidParameter(`Invalid Content-Range: ${rangeText}`);
  if (start % partSize !== 0 || end - start + 1 > partSize) {
    throw invalidParameter(`Content-Range: ${rangeText} is incompatible with partsize: ${partSize}`);
  }
  if (start / partSize >= MAX_PARTS) throw invalidParameter(`Content-Range: ${rangeText} is beyond the ${MAX_PARTS} parts allowed`);
  const length = contentLength(request);
  if (length !== end - start + 1) throw invalidParameter(`Content-Length ${length} does not match Content-Range: ${rangeText}`);
  const expectedSha256 = requiredHash(request, 'x-amz-content-sha256');
  const expectedTreeHash = requiredHash(request, 'x-amz-sha256-tree-hash');

  // The range is about to be overwritten: until the new part is verified there is none.
  await upload.forgetPart(start);
  const body = await receiveBody(req, upload.dataPath, { start });
  if (body.bytes !== length) throw invalidParameter(`Content-Length ${length} does not match the ${body.bytes} bytes received`);
  if (body.sha256 !== expectedSha256 || body.treeHash !== expectedTreeHash || hasFault(request, 'corrupt')) throw checksumMismatch();
  await upload.writeLeaves(start, body.leaves);
  await upload.recordPart({ start, end, treeHash: body.treeHash }, ctx.clock.now());
  sendEmpty(request.res, 204, { 'x-amz-sha256-tree-hash': reportedTreeHash(request, body.treeHash) });
}

export async function listParts(request: GlacierRequest): Promise<void> {
  const { ctx, query } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const upload = await ctx.uploads.get(vault, request.resourceId, ctx.clock.now());
  const limit = pageLimit(query, 50, 50);
  const parts = upload.sortedParts();
  const marker = query.get('marker');
  let first = 0;
  if (marker !== null && marker !== '') {
    if (!/^\d+$/.test(marker)) throw invalidParameter(`Invalid marker: ${marker}`);
    first = parts.findIndex((part) => part.start >= Number(marker));
    if (first < 0) first = parts.length;
  }
  const page = parts.slice(first, first + limit);
  const next = parts[first + limit];
  sendJson(request.res, 200, {
    ArchiveDescription: upload.meta.description,
    CreationDate: isoDate(upload.meta.creationDate),
    Marker: next === undefined ? null : String(next.start),
    MultipartUploadId: upload.meta.id,
    PartSizeInBytes: upload.meta.partSize,
    Parts: page.map((part) => ({ RangeInBytes: `${part.start}-${part.end}`, SHA256TreeHash: part.treeHash })),
    VaultARN: vault.arn,
  });
}

export async function listMultipartUploads(request: GlacierRequest): Promise<void> {
  const { ctx, query } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const limit = pageLimit(query, 50, 50);
  const uploads = await ctx.uploads.list(vault, ctx.clock.now());
  const marker = query.get('marker');
  let first = 0;
  if (marker !== null && marker !== '') {
    first = uploads.findIndex((upload) => upload.meta.id === marker);
    if (first < 0) throw invalidParameter(`Invalid marker: ${marker}`);
  }
  const page = uploads.slice(first, first + limit);
  const next = uploads[first + limit];
  sendJson(request.res, 200, {
    Marker: next === undefined ? null : next.meta.id,
    UploadsList: page.map((upload) => ({
      ArchiveDescription: upload.meta.description,
      CreationDate: isoDate(upload.meta.creationDate),
      MultipartUploadId: upload.meta.id,
      PartSizeInBytes: upload.meta.partSize,
      VaultARN: vault.arn,
    })),
  });
}

export async function completeMultipartUpload(request: GlacierRequest): Promise<void> {
  const { ctx, req } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const sizeText = headerText(req, 'x-amz-archive-size');
  if (sizeText === undefined || sizeText === '') throw missingParameter('Required header is missing: x-amz-archive-size');
  if (!/^\d+$/.test(sizeText) || Number(sizeText) < 1) throw invalidParameter(`Invalid x-amz-archive-size: ${sizeText}`);
  const size = Number(sizeText);
  const treeHash = requiredHash(request, 'x-amz-sha256-tree-hash');

  const done = await ctx.uploads.completed(vault, request.resourceId);
  if (done !== undefined && done.size === size && done.treeHash === treeHash) {
    sendCompleted(request, done.archiveId, done.treeHash);
    return;
  }
  const upload = await ctx.uploads.get(vault, request.resourceId, ctx.clock.now());
  if (hasFault(request, 'corrupt')) throw checksumMismatch();
  await upload.assemble(size, treeHash);
  const entry = await commitArchive(
    vault,
    { dataPath: upload.dataPath, leavesPath: upload.leavesPath, description: upload.meta.description ?? '', size, treeHash },
    ctx.clock.now(),
  );
  await ctx.uploads.markCompleted(vault, upload.meta.id, { archiveId: entry.ArchiveId, treeHash, size });
  await ctx.uploads.remove(vault, upload);
  sendCompleted(request, entry.ArchiveId, treeHash);
}

function sendCompleted(request: GlacierRequest, archiveId: string, treeHash: string): void {
  sendEmpty(request.res, 201, {
    Location: `${vaultLocation(request)}/archives/${archiveId}`,
    'x-amz-archive-id': archiveId,
    'x-amz-sha256-tree-hash': reportedTreeHash(request, treeHash),
  });
}

export async function abortMultipartUpload(request: GlacierRequest): Promise<void> {
  const { ctx } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const upload = await ctx.uploads.get(vault, request.resourceId, ctx.clock.now());
  await ctx.uploads.remove(vault, upload);
  sendEmpty(request.res, 204);
}
