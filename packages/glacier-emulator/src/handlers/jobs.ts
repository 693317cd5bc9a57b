// Initiate Job, Describe Job, List Jobs, Get Job Output (api-initiate-job-post.md,
// api-describe-job-get.md, api-jobs-get.md, api-job-output-get.md).
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkDescription } from '../description.js';
import { GlacierError, invalidParameter, missingParameter } from '../errors.js';
import { newJobId } from '../ids.js';
import { checkInventoryParameters } from '../inventory.js';
import { describeJob, statusOf, type JobRecord, type Tier } from '../jobs.js';
import { headerText, parseJsonBody, sendEmpty, sendJson } from '../http.js';
import { hasFault, vaultLocation, type GlacierRequest } from '../request.js';
import { checkRetrievalAllowed } from '../retrievalPolicy.js';
import { unknownArchiveError } from '../store/archives.js';
import { initialSnapshot } from '../store/vaults.js';
import { liveUnits } from './account.js';
import { treeHashFromLeaves } from '../store/leafHashes.js';
import { MiB, isTreeHashAligned } from '../treeHash.js';
import { pageLimit } from './paging.js';
import { sendFileRange } from '../sendFileRange.js';

const TIERS: readonly Tier[] = ['Expedited', 'Standard', 'Bulk'];

function optionalString(parameters: Record<string, unknown>, name: string): string | null {
  const value = parameters[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalidParameter(`Invalid ${name}: ${JSON.stringify(value)}`);
  return value;
}

export async function initiateJob(request: GlacierRequest): Promise<void> {
  const { ctx } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const parameters = parseJsonBody(request.body);
  const type = optionalString(parameters, 'Type');
  const description = optionalString(parameters, 'Description');
  if (description !== null) checkDescription(description, 'job description');
  const snsTopic = optionalString(parameters, 'SNSTopic');
  const archiveId = optionalString(parameters, 'ArchiveId');
  const rangeText = optionalString(parameters, 'RetrievalByteRange');
  const now = ctx.clock.now();
  const base = {
    id: newJobId(),
    vaultArn: vault.arn,
    creationDate: now,
    description,
    snsTopic,
    archiveId: null,
    archiveSize: null,
    archiveTreeHash: null,
    rangeStart: null,
    rangeEnd: null,
    tier: null,
    format: null,
    inventoryParameters: null,
    snapshot: null,
    outcome: null,
  };

  if (type === 'select' || parameters['SelectParameters'] !== undefined || parameters['OutputLocation'] !== undefined) {
    throw invalidParameter('Glacier Select is not available: select jobs (SelectParameters, OutputLocation) are no longer offered. Retrieve the archive and query it locally');
  }
  let job: JobRecord;
  if (type === 'archive-retrieval') {
    if (archiveId === null) throw missingParameter('Required parameter is missing: ArchiveId');
    if (parameters['Format'] !== undefined || parameters['InventoryRetrievalParameters'] !== undefined) {
      throw invalidParameter('Format and InventoryRetrievalParameters apply to inventory-retrieval jobs only');
    }
    const tierText = optionalString(parameters, 'Tier') ?? 'Standard';
    const tier = TIERS.find((known) => known === tierText);
    if (tier === undefined) throw invalidParameter(`Invalid Tier: ${tierText}. Valid values are Expedited, Standard, Bulk`);
    const entry = await vault.archives.find(archiveId);
    // A recently deleted archive may still be accepted, and the job then fails
    // (api-archive-delete.md); an id never issued by this vault is refused.
    if (entry === undefined) throw await unknownArchiveError(ctx.vaults, vault, archiveId);
    const [start, end] = rangeText === null ? [0, entry.Size] : parseRetrievalRange(rangeText, entry.Size);
    await admitRetrieval(request, tier, end - start, now);
    job = {
      ...base,
      action: 'ArchiveRetrieval',
      dueDate: now + ctx.options.tierDelays[tier] * 1000,
      tier,
      archiveId,
      archiveSize: entry.Size,
      archiveTreeHash: entry.SHA256TreeHash,
      archiveDescription: entry.ArchiveDescription,
      rangeStart: start,
      rangeEnd: end,
    };
  } else if (type === 'inventory-retrieval') {
    if (archiveId !== null) throw invalidParameter('ArchiveId is not allowed for inventory-retrieval jobs');
    if (rangeText !== null) throw invalidParameter('RetrievalByteRange is not allowed for inventory-retrieval jobs');
    const formatText = optionalString(parameters, 'Format') ?? 'JSON';
    if (formatText !== 'JSON' && formatText !== 'CSV') throw invalidParameter(`Invalid Format: ${formatText}. Valid values are CSV, JSON`);
    const inventoryParameters = checkInventoryParameters(parameters['InventoryRetrievalParameters']);
    // The job returns the last inventory as of its initiation; before the vault's first
    // one, the empty vault it started as.
    const snapshot = (await vault.refreshSnapshot(now, ctx.options.inventoryInterval)) ?? initialSnapshot(vault);
    job = {
      ...base,
      action: 'InventoryRetrieval',
      dueDate: now + ctx.options.inventoryDelay * 1000,
      format: formatText,
      inventoryParameters,
      snapshot,
    };
  } else if (type === null) {
    throw missingParameter('Required parameter is missing: Type');
  } else {
    throw invalidParameter(`Invalid job type: ${type}. Valid values are archive-retrieval, inventory-retrieval`);
  }
  await ctx.jobs.create(vault, job);
  sendEmpty(request.res, 202, { Location: `${vaultLocation(request)}/jobs/${job.id}`, 'x-amz-job-id': job.id });
}

/**
 * Expedited retrievals may need provisioned capacity (--expedited-needs-capacity); every
 * archive retrieval counts against the region's data retrieval policy.
 */
async function admitRetrieval(request: GlacierRequest, tier: Tier, bytes: number, now: number): Promise<void> {
  const { ctx } = request;
  if (tier === 'Expedited' && ctx.options.expeditedNeedsCapacity) {
    const account = await ctx.accounts.read(request.region);
    if (liveUnits(account.capacity, now).length === 0) {
      throw new GlacierError(
        503,
        'InsufficientCapacityException',
        'There is not enough capacity to process this expedited request. Purchase provisioned capacity or retry with another tier',
      );
    }
  }
  await ctx.accounts.update(request.region, now, (account) => {
    checkRetrievalAllowed(account, bytes, now, ctx.options.freeTierBytesPerDay);
    account.retrievals.push({ date: now, bytes });
  });
}

/** RetrievalByteRange "START-END", megabyte aligned (api-jobParameters.md): [start, end). */
function parseRetrievalRange(text: string, size: number): [number, number] {
  const match = /^(\d+)-(\d+)$/.exec(text);
  const bad = (): GlacierError => invalidParameter(`Invalid RetrievalByteRange: ${text}. The range must be megabyte aligned and within the archive of ${size} bytes`);
  if (match === null) throw bad();
  const start = Number(match[1]);
  const last = Number(match[2]);
  if (last < start || last >= size || start % MiB !== 0 || ((last + 1) % MiB !== 0 && last + 1 !== size)) throw bad();
  return [start, last + 1];
}

export async function describeJobRequest(request: GlacierRequest): Promise<void> {
  const { ctx } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const job = await ctx.jobs.get(vault, request.resourceId, ctx.clock.now());
  sendJson(request.res, 200, describeJob(job));
}

export async function listJobs(request: GlacierRequest): Promise<void> {
  const { ctx, query } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const limit = pageLimit(query, 50, 50);
  const statusFilter = query.get('statuscode');
  if (statusFilter !== null && !['InProgress', 'Succeeded', 'Failed'].includes(statusFilter)) {
    throw invalidParameter(`The job status code is not valid: ${statusFilter}`);
  }
  const completedFilter = query.get('completed');
  if (completedFilter !== null && completedFilter !== 'true' && completedFilter !== 'false') {
    throw invalidParameter(`The value for completed is not valid: ${completedFilter}`);
  }
  let jobs = await ctx.jobs.list(vault, ctx.clock.now());
  if (statusFilter !== null) jobs = jobs.filter((job) => statusOf(job) === statusFilter);
  if (completedFilter !== null) jobs = jobs.filter((job) => (job.outcome !== null) === (completedFilter === 'true'));
  const marker = query.get('marker');
  let first = 0;
  if (marker !== null && marker !== '') {
    first = jobs.findIndex((job) => job.id === marker);
    if (first < 0) throw invalidParameter(`Invalid marker: ${marker}`);
  }
  const page = jobs.slice(first, first + limit);
  const next = jobs[first + limit];
  sendJson(request.res, 200, { JobList: page.map(describeJob), Marker: next === undefined ? null : next.id });
}

/** `Range: bytes=A-B` of Get Job Output, relative to the job's output: [start, end). */
function parseOutputRange(text: string | undefined, size: number): [number, number] | undefined {
  if (text === undefined) return undefined;
  const match = /^bytes=(\d+)-(\d*)$/.exec(text.trim());
  if (match === null) throw invalidParameter(`Invalid Range: ${text}`);
  const start = Number(match[1]);
  const end = match[2] === '' ? size : Math.min(Number(match[2]) + 1, size);
  if (start >= size || end <= start) throw invalidParameter(`The requested range is not satisfiable: ${text} of ${size} bytes`);
  return [start, end];
}

export async function getJobOutput(request: GlacierRequest): Promise<void> {
  const { ctx, req, res } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const job = await ctx.jobs.get(vault, request.resourceId, ctx.clock.now());
  if (job.outcome === null || job.outcome.status !== 'Succeeded' || job.outcome.outputSize === null) {
    throw invalidParameter(`The job is not currently available for download: ${job.id}`);
  }
  const size = job.outcome.outputSize;
  const range = parseOutputRange(headerText(req, 'range'), size);
  const [start, end] = range ?? [0, size];
  const archive = job.action === 'ArchiveRetrieval';
  const fileOffset = archive ? job.rangeStart! : 0;

  const headers: Record<string, string | number> = {
    'Content-Type': archive ? 'application/octet-stream' : job.format === 'CSV' ? 'text/csv' : 'application/json',
    'Content-Length': end - start,
    'Accept-Ranges': 'bytes',
  };
  if (archive && typeof job.archiveDescription === 'string' && job.archiveDescription !== '') headers['x-amz-archive-description'] = job.archiveDescription;
  if (range !== undefined) headers['Content-Range'] = `bytes ${start}-${end - 1}/${size}`;
  // A checksum comes only when both the retrieved range and the downloaded part of it
  // are tree-hash aligned (checksum-calculations-range.md).
  if (archive && job.outcome.rangeTreeHash !== null) {
    if (range === undefined) headers['x-amz-sha256-tree-hash'] = job.outcome.rangeTreeHash;
    else if (isTreeHashAligned(fileOffset + start, fileOffset + end, job.archiveSize!)) {
      headers['x-amz-sha256-tree-hash'] = await treeHashFromLeaves(ctx.jobs.leavesPath(vault, job.id), fileOffset + start, fileOffset + end);
    }
  }
  res.writeHead(range === undefined ? 200 : 206, headers);

  const cut = hasFault(request, 'reset') ? 'reset' : hasFault(request, 'truncate') ? 'truncate' : undefined;
  const sendEnd = cut === undefined ? end : start + Math.floor((end - start) / 2);
  const outputPath = ctx.jobs.outputPath(vault, job.id);
  const trickle = request.faults.find((rule) => rule.kind === 'trickle');
  if (trickle !== undefined) {
    // One byte every `ms` for as long as the client stays: never silent, never done.
    for (let at = start; at < end && !res.destroyed; at++) {
      await sendFileRange(res, outputPath, fileOffset + at, fileOffset + at + 1);
      await sleep(trickle.delayMs);
    }
    res.destroy();
    return;
  }
  await sendFileRange(res, outputPath, fileOffset + start, fileOffset + sendEnd, { corruptFirstByte: hasFault(request, 'corrupt') });
  if (cut !== undefined) cutConnection(res.socket, cut);
  else res.end();
}

/** Ends a response early: 'truncate' closes the connection, 'reset' aborts it. */
export function cutConnection(socket: Socket | null, how: 'reset' | 'truncate'): void {
  if (socket === null) return;
  if (how === 'reset') socket.resetAndDestroy();
  else socket.end();
}
