// Upload Archive and Delete Archive (api-archive-post.md, api-archive-delete.md).
import { rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { archiveDescriptionFrom } from '../description.js';
import { checksumMismatch, invalidParameter, missingParameter } from '../errors.js';
import { headerText, sendEmpty } from '../http.js';
import { hasFault, reportedTreeHash, vaultLocation, type GlacierRequest } from '../request.js';
import { accessDenied, denies } from '../policy.js';
import type { ArchiveEntry } from '../store/archiveLog.js';
import { commitArchive, deleteArchive as removeArchive, unknownArchiveError } from '../store/archives.js';
import type { Vault } from '../store/vaults.js';
import { currentLock } from './vaultLock.js';
import { receiveBody } from '../store/bodyReceiver.js';
import { MiB } from '../treeHash.js';

const MAX_SINGLE_UPLOAD = 4096 * MiB;
const DAY_MS = 24 * 3600 * 1000;

export function requiredHash(request: GlacierRequest, name: string): string {
  const value = headerText(request.req, name);
  if (value === undefined || value === '') throw missingParameter(`Required header is missing: ${name}`);
  if (!/^[0-9a-fA-F]{64}$/.test(value)) throw invalidParameter(`Invalid ${name}: ${value}`);
  return value.toLowerCase();
}

export function contentLength(request: GlacierRequest): number {
  const text = headerText(request.req, 'content-length');
  if (text === undefined) throw missingParameter('Content-Length is required');
  return Number(text);
}

export async function uploadArchive(request: GlacierRequest): Promise<void> {
  const { ctx, req } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const description = archiveDescriptionFrom(req.headers['x-amz-archive-description']);
  const length = contentLength(request);
  if (length === 0) throw invalidParameter('Invalid Content-Length: 0. An archive holds at least 1 byte');
  if (length > MAX_SINGLE_UPLOAD) throw invalidParameter(`Invalid Content-Length: ${length}. Archives above 4 GiB need a multipart upload`);
  const expectedSha256 = requiredHash(request, 'x-amz-content-sha256');
  const expectedTreeHash = requiredHash(request, 'x-amz-sha256-tree-hash');

  const temporary = vault.path('tmp', randomBytes(12).toString('hex'));
  try {
    const body = await receiveBody(req, temporary);
    if (body.bytes !== length) throw invalidParameter(`Content-Length ${length} does not match the ${body.bytes} bytes received`);
    if (body.sha256 !== expectedSha256 || body.treeHash !== expectedTreeHash || hasFault(request, 'corrupt')) throw checksumMismatch();
    await writeFile(`${temporary}.leaves`, body.leaves);
    const entry = await commitArchive(vault, { dataPath: temporary, leavesPath: `${temporary}.leaves`, description, size: body.bytes, treeHash: body.treeHash }, ctx.clock.now());
    sendEmpty(request.res, 201, {
      Location: `${vaultLocation(request)}/archives/${entry.ArchiveId}`,
      'x-amz-archive-id': entry.ArchiveId,
      'x-amz-sha256-tree-hash': reportedTreeHash(request, body.treeHash),
    });
  } finally {
    await rm(temporary, { force: true });
    await rm(`${temporary}.leaves`, { force: true });
  }
}

/**
 * Refuses the deletion when the vault's access policy or its lock policy (in progress or
 * locked) denies glacier:DeleteArchive for this archive; glacier:ArchiveAgeInDays is the
 * archive's age in whole days on the emulator's clock.
 */
function checkDeletionAllowed(vault: Vault, entry: ArchiveEntry, now: number): void {
  const facts = {
    action: 'glacier:DeleteArchive',
    vaultArn: vault.arn,
    keys: { 'glacier:ArchiveAgeInDays': Math.floor((now - Date.parse(entry.CreationDate)) / DAY_MS) },
  };
  const policies = [vault.settings.accessPolicy, currentLock(vault, now)?.policy];
  if (policies.some((policy) => policy !== undefined && denies(policy, facts))) throw accessDenied(facts);
}

export async function deleteArchive(request: GlacierRequest): Promise<void> {
  const { ctx } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const now = ctx.clock.now();
  const entry = await vault.archives.find(request.resourceId);
  if (entry === undefined) throw await unknownArchiveError(ctx.vaults, vault, request.resourceId);
  checkDeletionAllowed(vault, entry, now);
  // Jobs already complete keep their output (api-archive-delete.md).
  await ctx.jobs.settleDue(vault, now);
  await removeArchive(vault, request.resourceId, now);
  sendEmpty(request.res, 204);
}
