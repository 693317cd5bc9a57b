// vault sync / glacier-sync against the emulator (docs/compatibility.md, "Delayed completion" and
// "The cache and vault sync"): exits 75/75/0, --wait applying the job it waited for,
// archives added and deleted elsewhere, --fix, Failed jobs ignored, a dropped download
// resumed, a truncated one refused, and one vault name in two regions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DeleteArchiveCommand, ListJobsCommand } from '@aws-sdk/client-glacier';
import { GlacierCache } from '../src/cache/glacierCache.js';
import { INVENTORY_DAY, sdkClientFor } from './helpers/emulator.js';
import { useEmulatorFixture } from './helpers/emulatorFixture.js';
import { runCli, type CliResult } from './helpers/runCli.js';
import { waitForRequests } from './helpers/waitFor.js';

const INVENTORY_DELAY = 3600;

const fixture = useEmulatorFixture('glacier-sync-', { inventoryDelay: INVENTORY_DELAY, inventoryInterval: INVENTORY_DAY });
const { freshCache, env, glacier } = fixture;

/** Inventories as on Glacier: regenerated once a day, so a test that wants its uploads in
 * the next inventory job lets the virtual clock pass the vault's next regeneration. */
async function nextDailyInventory(): Promise<void> {
  await fixture.emulator.advanceClock(INVENTORY_DAY);
}

async function ok(result: Promise<CliResult>): Promise<CliResult> {
  const done = await result;
  assert.equal(done.status, 0, done.stderr);
  return done;
}

async function upload(cacheDir: string, vault: string, name: string, region?: string): Promise<void> {
  const regionFlag = region === undefined ? [] : [`--region=${region}`];
  const result = await glacier(cacheDir, [...regionFlag, 'archive', 'upload', '--name', name, vault, '-'], {}, `${name}\n`);
  assert.equal(result.status, 0, result.stderr);
}

/** Queue an inventory job, let the emulator's clock finish it, and apply it. */
async function syncThroughInventory(cacheDir: string, vault: string, args: string[] = []): Promise<CliResult> {
  const queued = await glacier(cacheDir, ['vault', 'sync', '--max-age', '0', ...args, vault]);
  assert.equal(queued.status, 75, queued.stderr);
  await fixture.emulator.advanceClock(INVENTORY_DELAY);
  return ok(glacier(cacheDir, ['vault', 'sync', ...args, vault]));
}

async function listed(cacheDir: string, vault: string, region?: string): Promise<string> {
  const regionFlag = region === undefined ? [] : [`--region=${region}`];
  return (await ok(glacier(cacheDir, [...regionFlag, 'archive', 'list', vault]))).stdout.toString();
}

describe('vault sync', () => {
  test('a new inventory job exits 75 (queued), then 75 (pending), then 0 once done', async () => {
    const cache = freshCache();
    await ok(glacier(cache, ['vault', 'create', 'delayed']));
    await upload(freshCache(), 'delayed', 'one');
    await nextDailyInventory();
    const queued = await glacier(cache, ['vault', 'sync', 'delayed']);
    assert.equal(queued.status, 75);
    assert.equal(queued.stdout.length, 0);
    assert.match(queued.stderr, /^glacier: queued inventory job for 'delayed'$/m);
    const pending = await glacier(cache, ['vault', 'sync', 'delayed']);
    assert.equal(pending.status, 75);
    assert.match(pending.stderr, /^glacier: job still pending for inventory on 'delayed'$/m);
    assert.equal(await listed(cache, 'delayed'), '');
    await fixture.emulator.advanceClock(INVENTORY_DELAY);
    const done = await runCli('glacier-sync', ['delayed'], { env: env(cache) });
    assert.equal(done.status, 0, done.stderr);
    assert.equal(done.stdout.length, 0);
    assert.equal(await listed(cache, 'delayed'), 'one\n');
  });

  test('--wait on a pending job applies that job once it is done', async () => {
    const cache = freshCache();
    await ok(glacier(cache, ['vault', 'create', 'waited']));
    await upload(freshCache(), 'waited', 'w');
    await nextDailyInventory();
    assert.equal((await glacier(cache, ['vault', 'sync', 'waited'])).status, 75);
    await fixture.emulator.resetRequestCounts();
    const waiting = glacier(cache, ['vault', 'sync', '--wait', '--poll-interval', '0.2', 'waited']);
    // Finish the job only once the command has found it pending and is polling it.
    await waitForRequests(fixture.emulator, 'DescribeJob');
    await fixture.emulator.advanceClock(INVENTORY_DELAY);
    const done = await waiting;
    assert.equal(done.status, 0, done.stderr);
    assert.equal((await fixture.emulator.requestCounts()).InitiateJob ?? 0, 0, 'the pending job was used, not a new one');
    assert.equal(await listed(cache, 'waited'), 'w\n');
  });

  test('archives added and deleted elsewhere: added, warned as disappeared, removed by --fix', async () => {
    const here = freshCache();
    const elsewhere = freshCache();
    await ok(glacier(here, ['vault', 'create', 'elsewhere']));
    await upload(here, 'elsewhere', 'kept');
    await upload(here, 'elsewhere', 'gone');
    await nextDailyInventory();
    await syncThroughInventory(here, 'elsewhere');
    assert.equal(await listed(here, 'elsewhere'), 'gone\nkept\n');

    await upload(elsewhere, 'elsewhere', 'new');
    const gone = (await fixture.emulator.listArchives('elsewhere')).find((a) => a.ArchiveDescription === 'gone');
    const client = sdkClientFor(fixture.emulator);
    await client.send(new DeleteArchiveCommand({ accountId: '-', vaultName: 'elsewhere', archiveId: gone?.ArchiveId }));
    client.destroy();

    await nextDailyInventory();
    const warned = await syncThroughInventory(here, 'elsewhere');
    assert.match(warned.stderr, /^glacier: warning: archive 'gone' disappeared from the inventory of vault 'elsewhere'/m);
    // The newer inventory's word wins over the row's recent "seen": no longer listed, not present.
    assert.equal(await listed(here, 'elsewhere'), 'kept\nnew\n');
    const present = await glacier(here, ['archive', 'checkpresent', '--quiet', 'elsewhere', 'gone']);
    assert.equal(present.status, 0, present.stderr);
    assert.equal(present.stdout.toString(), '', 'absent after the sync that found it gone');
    assert.equal((await glacier(here, ['archive', 'checkpresent', '--quiet', 'elsewhere', 'kept'])).stdout.toString(), 'kept\n');

    const fixed = await ok(glacier(here, ['vault', 'sync', '--fix', 'elsewhere']));
    assert.match(fixed.stderr, /^glacier: info: archive 'gone' disappeared from the inventory of vault 'elsewhere'; removed from the cache$/m);
    assert.equal(await listed(here, 'elsewhere'), 'kept\nnew\n');
    const quiet = await ok(glacier(here, ['vault', 'sync', 'elsewhere']));
    assert.doesNotMatch(quiet.stderr, /^glacier: warning/m);
  });

  test("as on Glacier, an upload is in an inventory only after the vault's next daily regeneration", async () => {
    const cache = freshCache();
    await ok(glacier(cache, ['vault', 'create', 'lagging']));
    await upload(freshCache(), 'lagging', 'first');
    await syncThroughInventory(cache, 'lagging');
    assert.equal(await listed(cache, 'lagging'), '', 'the vault has had no inventory yet');
    await nextDailyInventory();
    await syncThroughInventory(cache, 'lagging');
    assert.equal(await listed(cache, 'lagging'), 'first\n');
    await upload(freshCache(), 'lagging', 'second');
    await syncThroughInventory(cache, 'lagging');
    assert.equal(await listed(cache, 'lagging'), 'first\n', 'the last inventory predates the upload');
    await nextDailyInventory();
    await syncThroughInventory(cache, 'lagging');
    assert.equal(await listed(cache, 'lagging'), 'first\nsecond\n');
  });

  test("names that differ are warned (--fix takes the inventory's), empty names filled, old tombstones still listed warned", async () => {
    const cache = freshCache();
    await ok(glacier(cache, ['vault', 'create', 'renamed']));
    for (const name of ['right', 'unnamed', 'undead']) await upload(cache, 'renamed', name);
    const ids = Object.fromEntries((await fixture.emulator.listArchives('renamed')).map((a) => [a.ArchiveDescription, a.ArchiveId]));
    // What another version of the tool, or a lost update, could have left in the cache.
    const local = GlacierCache.open(cache);
    const scope = { account: fixture.emulator.accountId, region: 'us-east-1', vault: 'renamed' };
    const longAgo = Date.now() - 30 * 86_400_000;
    local.putArchives(scope, [
      { id: ids.right as string, name: 'wrong', createdHere: longAgo },
      { id: ids.unnamed as string, name: '', createdHere: longAgo },
      { id: ids.undead as string, name: 'undead', createdHere: longAgo, deletedHere: longAgo },
    ]);
    local.close();

    await nextDailyInventory();
    const warned = await syncThroughInventory(cache, 'renamed');
    assert.match(warned.stderr, new RegExp(`^glacier: warning: archive id:${ids.right} is named 'wrong' here but 'right' in the inventory`, 'm'));
    assert.match(warned.stderr, /^glacier: warning: archive 'undead' was deleted here but is still in the inventory of vault 'renamed'$/m);
    assert.doesNotMatch(warned.stderr, /'unnamed'/);
    assert.equal(await listed(cache, 'renamed'), 'unnamed\nwrong\n');

    const fixed = await ok(glacier(cache, ['vault', 'sync', '--fix', 'renamed']));
    assert.match(fixed.stderr, /^glacier: warning: archive id:\S+ is named 'wrong' here but 'right' in the inventory \(fixed/m);
    assert.equal(await listed(cache, 'renamed'), 'right\nunnamed\n');
  });

  test('a Failed inventory job is never used: a new one is queued', async () => {
    const cache = freshCache();
    await ok(glacier(cache, ['vault', 'create', 'failing']));
    await upload(cache, 'failing', 'f');
    assert.equal((await glacier(cache, ['vault', 'sync', 'failing'])).status, 75);
    const client = sdkClientFor(fixture.emulator);
    const jobs = await client.send(new ListJobsCommand({ accountId: '-', vaultName: 'failing' }));
    client.destroy();
    const [job] = jobs.JobList ?? [];
    assert.ok(job?.JobId);
    await fixture.emulator.failJob(job.JobId);
    const again = await glacier(cache, ['vault', 'sync', 'failing']);
    assert.equal(again.status, 75);
    assert.match(again.stderr, /^glacier: queued inventory job for 'failing'$/m);
  });

  test('a download cut mid-way resumes from the last byte; a truncated one is never applied', async () => {
    const cache = freshCache();
    await ok(glacier(cache, ['vault', 'create', 'flaky']));
    for (const name of ['x', 'y', 'z']) await upload(freshCache(), 'flaky', name);
    await nextDailyInventory();

    const fresh = freshCache();
    assert.equal((await glacier(fresh, ['vault', 'sync', 'flaky'])).status, 75);
    await fixture.emulator.advanceClock(INVENTORY_DELAY);
    await fixture.emulator.addFault('GetJobOutput:truncate');
    const refused = await glacier(fresh, ['vault', 'sync', 'flaky'], { GLACIER_RETRY_ATTEMPTS: '3' });
    await fixture.emulator.clearFaults();
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^glacier: inventory download of 'flaky' at byte \d+: connection closed by the server; gave up after 3 attempts$/m);
    assert.equal(await listed(fresh, 'flaky'), '');

    await fixture.emulator.addFault('GetJobOutput:reset:count=1');
    const resumed = await glacier(fresh, ['vault', 'sync', 'flaky']);
    await fixture.emulator.clearFaults();
    assert.equal(resumed.status, 0, resumed.stderr);
    // The emulator aborts the connection with a RST; a kernel that hands the reader the
    // bytes before it may report the end as a close instead, so either wording is right.
    assert.match(resumed.stderr, /^glacier: warning: inventory download of 'flaky' at byte [1-9]\d*: connection (reset|closed by the server); retry 1 of 24/m);
    assert.equal(await listed(fresh, 'flaky'), 'x\ny\nz\n');
  });

  test('one vault name in two regions: two separate caches partitions', async () => {
    const cache = freshCache();
    await ok(glacier(cache, ['vault', 'create', 'twin']));
    await ok(glacier(cache, ['--region=eu-west-1', 'vault', 'create', 'twin']));
    await upload(freshCache(), 'twin', 'east');
    await upload(freshCache(), 'twin', 'west', 'eu-west-1');
    await nextDailyInventory();
    assert.equal((await glacier(cache, ['vault', 'sync', '--max-age', '0', 'twin'])).status, 75);
    assert.equal((await glacier(cache, ['--region', 'eu-west-1', 'vault', 'sync', '--max-age', '0', 'twin'])).status, 75);
    await fixture.emulator.advanceClock(INVENTORY_DELAY);
    await ok(glacier(cache, ['vault', 'sync', 'twin']));
    await ok(glacier(cache, ['--region=eu-west-1', 'vault', 'sync', 'twin']));
    assert.equal(await listed(cache, 'twin'), 'east\n');
    assert.equal(await listed(cache, 'twin', 'eu-west-1'), 'west\n');
  });

  test('usage errors exit 2 before any request', async () => {
    const cache = freshCache();
    const offline = { AWS_ENDPOINT_URL_GLACIER: 'http://127.0.0.1:9' };
    for (const args of [
      ['vault', 'sync'],
      ['vault', 'sync', '--max-age', 'soon', 'v'],
      ['vault', 'sync', '--poll-interval', '0', 'v'],
      ['vault', 'sync', '--bogus', 'v'],
      ['vault', 'sync', 'bad/name'],
      ['vault', 'sync', 'v', 'extra'],
    ]) {
      const result = await glacier(cache, args, offline);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /^glacier: /m);
      assert.equal(result.stdout.length, 0);
    }
  });
});
