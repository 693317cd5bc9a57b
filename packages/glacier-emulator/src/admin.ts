// The admin endpoint under /_emulator/ (man/glacier-emulator.1): unsigned JSON requests
// from loopback only, for tests and benchmarks.
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isoDate } from './clock.js';
import type { EmulatorContext } from './context.js';
import { GlacierError, invalidParameter, notFound } from './errors.js';
import { FaultSpecError, parseFaultSpec } from './faults.js';
import { parseJsonBody, readSmallBody, sendJson } from './http.js';
import { liveArchive, seedArchives, SEEDED_BYTE } from './store/archives.js';
import { idOfLine } from './store/archiveLog.js';
import { isMissingFile } from './store/files.js';
import type { Vault } from './store/vaults.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export async function handleAdmin(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, segments: string[], query: URLSearchParams): Promise<void> {
  if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) throw new GlacierError(403, 'AccessDeniedException', 'The admin endpoint answers loopback only');
  checkNotFromAWebPage(req);
  const method = req.method ?? 'GET';
  const body = parseJsonBody(await readSmallBody(req));
  const [first, second, third, fourth, fifth, sixth] = segments;

  if (first === 'clock' && second === undefined) {
    if (method === 'POST') {
      const seconds = body['advanceSeconds'];
      if (typeof seconds !== 'number' || !Number.isFinite(seconds)) throw invalidParameter('advanceSeconds must be a number');
      await ctx.clock.advance(seconds);
    }
    sendJson(res, 200, { now: isoDate(ctx.clock.now()), offsetSeconds: ctx.clock.offsetMs / 1000 });
    return;
  }
  if (first === 'faults' && second === undefined) {
    if (method === 'POST') {
      const specs = Array.isArray(body['specs']) ? body['specs'] : [body['spec']];
      try {
        for (const spec of specs) ctx.faults.add(parseFaultSpec(String(spec)));
      } catch (error) {
        if (error instanceof FaultSpecError) throw invalidParameter(error.message);
        throw error;
      }
    } else if (method === 'DELETE') ctx.faults.clear();
    sendJson(res, 200, { faults: ctx.faults.list() });
    return;
  }
  if (first === 'requests' && second === undefined) {
    if (method === 'DELETE') ctx.requestCounts.clear();
    const counts = Object.fromEntries([...ctx.requestCounts.entries()].sort());
    sendJson(res, 200, { counts, total: [...ctx.requestCounts.values()].reduce((a, b) => a + b, 0) });
    return;
  }
  if (first === 'jobs' && second !== undefined && third === undefined && method === 'POST') {
    const status = body['status'] ?? 'Failed';
    if (status !== 'Failed') throw invalidParameter('Only {"status":"Failed"} is supported');
    const message = typeof body['message'] === 'string' ? body['message'] : 'Failed by the emulator admin endpoint';
    const vault = await vaultOfJob(ctx, second);
    const job = await ctx.jobs.fail(vault, second, message, ctx.clock.now());
    sendJson(res, 200, { JobId: job.id, StatusCode: 'Failed' });
    return;
  }
  if (first === 'regions' && second !== undefined && third === 'vaults' && fourth !== undefined) {
    await vaultAdmin(ctx, method, res, body, query, second, fourth, fifth, sixth);
    return;
  }
  throw new GlacierError(400, 'BadRequest', `No admin operation for ${method} /_emulator/${segments.join('/')}`);
}

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;

/**
 * A web page can make a browser send requests to loopback: a "simple" cross-origin POST
 * (text/plain, no preflight), or any request through a DNS name rebound to 127.0.0.1.
 * Neither gets through: the Host must name loopback, and anything but a GET must say
 * application/json, which a page can send only after a preflight this server never allows.
 */
function checkNotFromAWebPage(req: IncomingMessage): void {
  if (!LOOPBACK_HOST.test(req.headers.host ?? '')) {
    throw new GlacierError(403, 'AccessDeniedException', 'The admin endpoint answers requests for a loopback Host only');
  }
  const method = req.method ?? 'GET';
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (method !== 'GET' && method !== 'HEAD' && type !== 'application/json') {
    throw new GlacierError(415, 'UnsupportedMediaTypeException', 'Admin requests other than GET must be sent as application/json');
  }
}

async function vaultAdmin(
  ctx: EmulatorContext,
  method: string,
  res: ServerResponse,
  body: Record<string, unknown>,
  query: URLSearchParams,
  region: string,
  vaultName: string,
  action: string | undefined,
  archiveId: string | undefined,
): Promise<void> {
  if (action === 'seed' && method === 'POST') {
    const count = body['count'];
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw invalidParameter('count must be a positive integer');
    const prefix = typeof body['prefix'] === 'string' ? body['prefix'] : 'seed-';
    const vault = (await ctx.vaults.find(region, vaultName)) ?? (await ctx.vaults.create(region, vaultName, ctx.clock.now()));
    await seedArchives(vault, count, prefix, ctx.clock.now());
    sendJson(res, 200, { seeded: count, NumberOfArchives: vault.meta.archiveCount });
    return;
  }
  const vault = await ctx.vaults.get(region, vaultName);
  if (action === 'inventory' && method === 'POST') {
    const snapshot = await vault.forceSnapshot(ctx.clock.now());
    sendJson(res, 200, { InventoryDate: isoDate(snapshot.date), NumberOfArchives: snapshot.archiveCount, SizeInBytes: snapshot.totalSize });
    return;
  }
  if (action === 'archives' && archiveId === undefined && method === 'GET') {
    await sendArchiveList(vault, res, query.get('includeDeleted') === 'true');
    return;
  }
  if (action === 'archives' && archiveId !== undefined && method === 'GET') {
    const entry = await liveArchive(vault, archiveId);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': entry.Size, 'x-amz-sha256-tree-hash': entry.SHA256TreeHash });
    try {
      await pipeline(createReadStream(vault.archiveDataPath(archiveId), { highWaterMark: 1 << 20 }), res);
    } catch (error) {
      if (!isMissingFile(error)) throw error;
      res.end(SEEDED_BYTE);
    }
    return;
  }
  throw new GlacierError(400, 'BadRequest', `No admin operation for ${method} on vault ${vaultName}`);
}

/** The vault's archives as a JSON array, streamed from the archive log. */
async function sendArchiveList(vault: Vault, res: ServerResponse, includeDeleted: boolean): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.write('[');
  let first = true;
  let pending: string[] = [];
  for await (const { line } of vault.archives.lines(0, vault.archives.length)) {
    const deletion = vault.archives.deletionOf(idOfLine(line));
    if (deletion !== undefined && !includeDeleted) continue;
    const item = deletion === undefined ? line : `${line.slice(0, -1)},"DeletionDate":"${isoDate(deletion.date)}"}`;
    pending.push(first ? item : `,${item}`);
    first = false;
    if (pending.length >= 1000) {
      if (!res.write(pending.join(''))) await new Promise((resolve) => res.once('drain', resolve));
      pending = [];
    }
  }
  res.end(`${pending.join('')}]`);
}

async function vaultOfJob(ctx: EmulatorContext, jobId: string): Promise<Vault> {
  const regionsDir = join(ctx.dataDir, 'regions');
  let regions: string[] = [];
  try {
    regions = await readdir(regionsDir);
  } catch (error) {
    if (!isMissingFile(error)) throw error;
  }
  for (const region of regions) {
    for (const name of await ctx.vaults.names(region)) {
      const jobs = await readdir(join(regionsDir, region, 'vaults', name, 'jobs')).catch(() => [] as string[]);
      if (jobs.includes(`${jobId}.json`)) return ctx.vaults.get(region, name);
    }
  }
  throw notFound(`The job ID was not found: ${jobId}`);
}
