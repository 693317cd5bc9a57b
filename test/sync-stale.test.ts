// Stale inventories (docs/compatibility.md, "The cache and vault sync"): Glacier regenerates an
// inventory about daily, so a job may return an old snapshot. An archive in it is seen at
// max(InventoryDate, job creation - 72 h); an archive uploaded after the snapshot is "not
// yet in the inventory"; a tombstone stays until an inventory dated after the delete no
// longer lists the archive.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { GlacierCache } from '../src/cache/glacierCache.js';
import { useEmulatorFixture } from './helpers/emulatorFixture.js';
import type { CliResult } from './helpers/runCli.js';

const DAY = 86_400;
const HOUR = 3_600;
const VAULT = 'stale';

// Snapshots at most weekly: every inventory job in between returns the old one.
const fixture = useEmulatorFixture('glacier-sync-stale-', { inventoryDelay: HOUR, inventoryInterval: 7 * DAY });
const cacheDir = (): string => join(fixture.scratch, 'cache');

function glacier(args: string[]): Promise<CliResult> {
  return fixture.glacier(cacheDir(), args, {}, args.includes('upload') ? `${args.at(-2)}\n` : undefined);
}

async function ok(args: string[]): Promise<CliResult> {
  const result = await glacier(args);
  assert.equal(result.status, 0, `${args.join(' ')}: ${result.stderr}`);
  return result;
}

/** A new inventory job, finished by the emulator's clock, applied. */
async function sync(): Promise<{ result: CliResult; jobCreatedBetween: [number, number] }> {
  const before = await emulatorNow();
  const queued = await glacier(['vault', 'sync', '--max-age', '0', VAULT]);
  const after = await emulatorNow();
  assert.equal(queued.status, 75, queued.stderr);
  await fixture.emulator.advanceClock(HOUR);
  return { result: await ok(['vault', 'sync', VAULT]), jobCreatedBetween: [before, after] };
}

async function emulatorNow(): Promise<number> {
  const answer = await fixture.emulator.admin('GET', 'clock');
  return Date.parse((JSON.parse(answer.body.toString()) as { now: string }).now);
}

async function lastSeenOf(name: string): Promise<number | undefined> {
  const listed = await ok(['archive', 'list', '--json', VAULT]);
  for (const line of listed.stdout.toString().split('\n')) {
    if (line === '') continue;
    const entry = JSON.parse(line) as { name: string; lastSeenUpstream: string | null };
    if (entry.name === name) return entry.lastSeenUpstream === null ? undefined : Date.parse(entry.lastSeenUpstream);
  }
  assert.fail(`no archive '${name}' listed`);
}

async function idOf(name: string): Promise<string> {
  const entry = (await fixture.emulator.listArchives(VAULT, undefined, true)).find((a) => a.ArchiveDescription === name);
  assert.ok(entry);
  return entry.ArchiveId;
}

function cachedRow(id: string): ReturnType<GlacierCache['getArchive']> {
  const cache = GlacierCache.open(cacheDir());
  try {
    return cache.getArchive({ account: fixture.emulator.accountId, region: 'us-east-1', vault: VAULT }, id);
  } finally {
    cache.close();
  }
}

test('stale inventories: the 72 h rule, archives not yet listed, tombstones kept then dropped', async () => {
  await ok(['vault', 'create', VAULT]);
  await ok(['archive', 'upload', '--name', 'old', VAULT, '-']);
  // The first inventory, at once (regenerations otherwise fall every interval from the
  // vault's creation).
  await fixture.emulator.forceInventory(VAULT);
  const first = await sync();
  const inventoryDate = first.jobCreatedBetween[0];
  const seenFirst = await lastSeenOf('old');
  assert.ok(seenFirst !== undefined && seenFirst >= inventoryDate - 1000, 'seen at the fresh InventoryDate');

  // Five days on, the vault changes, but the next snapshot is not due: the job returns the old one.
  await fixture.emulator.advanceClock(5 * DAY);
  await ok(['archive', 'upload', '--name', 'fresh', VAULT, '-']);
  const stale = await sync();
  const [from, to] = stale.jobCreatedBetween;
  const seenStale = await lastSeenOf('old');
  assert.ok(seenStale !== undefined, 'still seen');
  assert.ok(seenStale >= from - 72 * HOUR * 1000 - 1000 && seenStale <= to - 72 * HOUR * 1000 + 1000, 'seen at job creation - 72 h');
  assert.ok(seenStale > inventoryDate + DAY * 1000, 'later than the old InventoryDate');
  assert.match(stale.result.stderr, /^glacier: info: archive 'fresh' is not yet in the inventory of vault 'stale'$/m);
  assert.doesNotMatch(stale.result.stderr, /^glacier: warning/m);

  // Deleted here: a tombstone, hidden at once, kept while inventories predate the delete.
  const oldId = await idOf('old');
  await ok(['archive', 'delete', VAULT, 'old']);
  assert.equal((await ok(['archive', 'list', VAULT])).stdout.toString(), 'fresh\n');
  const beforeDue = await sync();
  assert.doesNotMatch(beforeDue.result.stderr, /^glacier: warning/m);
  assert.ok(cachedRow(oldId)?.deletedHere !== undefined, 'the tombstone stays');
  assert.equal((await ok(['archive', 'list', VAULT])).stdout.toString(), 'fresh\n');

  // A snapshot dated after the delete no longer lists it: the tombstone leaves the cache.
  await fixture.emulator.advanceClock(2 * DAY);
  const due = await sync();
  assert.doesNotMatch(due.result.stderr, /^glacier: (warning|info)/m);
  assert.equal(cachedRow(oldId), undefined, 'the tombstone is gone');
  assert.ok((await lastSeenOf('fresh')) !== undefined, 'fresh is now seen upstream');
  assert.equal((await ok(['archive', 'list', VAULT])).stdout.toString(), 'fresh\n');
});
