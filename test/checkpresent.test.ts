// archive checkpresent as git-annex reads it: stdout exactly `NAME\n` when present, empty
// when absent or stale, exit 0 for every answer, non-zero only when it cannot tell.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { GlacierCache } from '../src/cache/glacierCache.js';
import { INVENTORY_DAY } from './helpers/emulator.js';
import { useEmulatorFixture } from './helpers/emulatorFixture.js';
import { forbidSdkEnv } from './helpers/forbidSdk.js';
import type { CliResult } from './helpers/runCli.js';
import { waitForRequests } from './helpers/waitFor.js';

/** Jobs finish when the test moves the emulator's virtual clock, never on their own. */
const JOB_DELAY_SECONDS = 3600;
const VAULT = 'present-vault';

const fixture = useEmulatorFixture('glacier-checkpresent-', { jobDelay: JOB_DELAY_SECONDS, inventoryInterval: INVENTORY_DAY });
const { freshCache, glacier } = fixture;

async function upload(cacheDir: string, name: string, bytes: string, vault = VAULT): Promise<void> {
  const result = await glacier(cacheDir, ['archive', 'upload', '--name', name, vault, '-'], {}, bytes);
  assert.equal(result.status, 0, result.stderr);
}

/** A vault with no inventory job yet, holding one archive uploaded from `cacheDir`, a day
 * ago: its daily inventory, as on Glacier, lists the archive. */
async function vaultWithArchive(cacheDir: string, vault: string, name: string): Promise<void> {
  const created = await glacier(cacheDir, ['vault', 'create', vault]);
  assert.equal(created.status, 0, created.stderr);
  await upload(cacheDir, name, `${name} bytes\n`, vault);
  await fixture.emulator.advanceClock(INVENTORY_DAY);
}

/** Records in the cache that NAME was uploaded from there `ms` earlier than it was. */
function backdateUpload(cacheDir: string, vault: string, name: string, ms: number): void {
  const cache = GlacierCache.open(cacheDir);
  try {
    const scope = { account: fixture.emulator.accountId, region: 'us-east-1', vault };
    const [record] = cache.findByName(scope, name);
    assert.ok(record?.createdHere !== undefined && record.lastSeenUpstream === undefined, `${name} is known from its upload alone`);
    cache.putArchive(scope, { ...record, createdHere: record.createdHere - ms });
  } finally {
    cache.close();
  }
}

function assertAnswer(result: CliResult, stdout: string): void {
  assert.equal(result.status, 0, `every answer exits 0; stderr: ${result.stderr}`);
  assert.equal(result.stdout.toString(), stdout);
}

describe('archive checkpresent', () => {
  /** The cache of the machine that uploads. */
  let here: string;

  before(async () => {
    here = freshCache();
    const created = await glacier(here, ['vault', 'create', VAULT]);
    assert.equal(created.status, 0, created.stderr);
    await upload(here, 'alpha', 'alpha bytes\n');
    await upload(here, 'name:odd', 'a name that needs the prefix\n');
  });

  test('present: an archive uploaded from here prints its name exactly as given', async () => {
    assertAnswer(await glacier(here, ['archive', 'checkpresent', VAULT, 'alpha']), 'alpha\n');
    assertAnswer(await glacier(here, ['archive', 'checkpresent', VAULT, 'name:alpha']), 'name:alpha\n');
    assertAnswer(await glacier(here, ['archive', 'checkpresent', VAULT, 'name:name:odd']), 'name:name:odd\n');
  });

  test("git-annex's exact call: --region=R first, --quiet between the positionals", async () => {
    const result = await glacier(here, ['--region=us-east-1', 'archive', 'checkpresent', VAULT, '--quiet', 'alpha']);
    assertAnswer(result, 'alpha\n');
    assert.equal(result.stderr, '');
  });

  test('an id: reference', async () => {
    const listing = await glacier(here, ['archive', 'list', '--force-ids', VAULT]);
    assert.equal(listing.status, 0, listing.stderr);
    const line = listing.stdout
      .toString()
      .split('\n')
      .find((row) => row.endsWith('\talpha'));
    assert.ok(line !== undefined, listing.stdout.toString());
    const ref = line.split('\t')[0] as string;
    assertAnswer(await glacier(here, ['archive', 'checkpresent', VAULT, ref]), `${ref}\n`);
  });

  test('a cached answer loads neither the AWS SDK nor talks to Glacier', async () => {
    const started = performance.now();
    const result = await glacier(here, ['archive', 'checkpresent', VAULT, '--quiet', 'alpha'], {
      ...forbidSdkEnv(fixture.scratch),
      AWS_ENDPOINT_URL_GLACIER: 'http://127.0.0.1:9',
    });
    assertAnswer(result, 'alpha\n');
    assert.equal(result.stderr, '');
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 5000, `cached answer took ${elapsed} ms`);
  });

  test('stale: --max-age 0 never confirms', async () => {
    const result = await glacier(here, ['archive', 'checkpresent', '--max-age', '0', VAULT, 'alpha']);
    assertAnswer(result, '');
    assert.match(result.stderr, /archive 'alpha' found, but has not been seen recently enough to consider it present/);
  });

  test('stale: seen longer ago than --max-age hours', async () => {
    // --max-age 0.0001 is 0.36 s: date the upload back rather than wait for it to age.
    backdateUpload(here, VAULT, 'alpha', 1000);
    const result = await glacier(here, ['archive', 'checkpresent', '--max-age', '0.0001', VAULT, 'alpha']);
    assertAnswer(result, '');
    assert.match(result.stderr, /not been seen recently enough/);
    const quiet = await glacier(here, ['archive', 'checkpresent', '--quiet', '--max-age', '0.0001', VAULT, 'alpha']);
    assertAnswer(quiet, '');
    assert.doesNotMatch(quiet.stderr, /recently enough/);
  });

  test('absent: an unknown name, with the inventory still pending', async () => {
    const result = await glacier(here, ['archive', 'checkpresent', VAULT, 'never-uploaded']);
    assertAnswer(result, '');
    assert.match(result.stderr, /archive 'never-uploaded' not found/);
    const quiet = await glacier(here, ['archive', 'checkpresent', '--quiet', VAULT, 'never-uploaded']);
    assertAnswer(quiet, '');
    assert.doesNotMatch(quiet.stderr, /not found/);
  });

  test('--quiet says nothing of the inventory job it queues', async () => {
    await vaultWithArchive(here, 'loud-vault', 'x');
    await vaultWithArchive(here, 'quiet-vault', 'x');
    // Caches that never saw these vaults, which have no inventory job yet: both queue one.
    const loud = await glacier(freshCache(), ['archive', 'checkpresent', 'loud-vault', 'y']);
    assertAnswer(loud, '');
    assert.match(loud.stderr, /glacier: queued inventory job for 'loud-vault'/);
    const quiet = await glacier(freshCache(), ['archive', 'checkpresent', '--quiet', 'quiet-vault', 'y']);
    assertAnswer(quiet, '');
    assert.equal(quiet.stderr, '', 'git-annex asked for --quiet');
  });

  test('another machine: absent while the inventory is pending, present once it is in', async () => {
    await vaultWithArchive(here, 'second-vault', 'beta');
    const elsewhere = freshCache();
    const first = await glacier(elsewhere, ['archive', 'checkpresent', 'second-vault', 'beta']);
    assertAnswer(first, '');
    assert.match(first.stderr, /archive 'beta' not found; the inventory of vault 'second-vault' is not ready yet/);
    const pending = await glacier(elsewhere, ['archive', 'checkpresent', 'second-vault', 'beta']);
    assertAnswer(pending, '');
    await fixture.emulator.advanceClock(JOB_DELAY_SECONDS);
    assertAnswer(await glacier(elsewhere, ['archive', 'checkpresent', '--quiet', 'second-vault', 'beta']), 'beta\n');
    // Now known from the inventory: answered from the cache alone.
    assertAnswer(await glacier(elsewhere, ['archive', 'checkpresent', '--quiet', 'second-vault', 'beta'], forbidSdkEnv(fixture.scratch)), 'beta\n');
  });

  test('--wait awaits the inventory job, then answers', async () => {
    await vaultWithArchive(here, 'third-vault', 'gamma');
    const elsewhere = freshCache();
    await fixture.emulator.resetRequestCounts();
    const waiting = glacier(elsewhere, ['archive', 'checkpresent', '--wait', '--poll-interval', '0.2', 'third-vault', 'gamma']);
    await waitForRequests(fixture.emulator, 'DescribeJob');
    await fixture.emulator.advanceClock(JOB_DELAY_SECONDS);
    assertAnswer(await waiting, 'gamma\n');
    assert.equal((await fixture.emulator.requestCounts()).InitiateJob, 1);
  });

  test('a deleted archive is absent', async () => {
    await upload(here, 'doomed', 'short-lived\n');
    assertAnswer(await glacier(here, ['archive', 'checkpresent', VAULT, 'doomed']), 'doomed\n');
    const deleted = await glacier(here, ['archive', 'delete', VAULT, 'doomed']);
    assert.equal(deleted.status, 0, deleted.stderr);
    assertAnswer(await glacier(here, ['archive', 'checkpresent', '--quiet', VAULT, 'doomed']), '');
  });

  test('cannot tell: a missing vault exits 1 with one line', async () => {
    const result = await glacier(freshCache(), ['archive', 'checkpresent', 'no-such-vault', 'alpha']);
    assert.equal(result.status, 1);
    assert.equal(result.stdout.length, 0);
    assert.match(result.stderr, /^glacier: vault 'no-such-vault' not found in region us-east-1\n$/);
  });

  test('cannot tell: rejected credentials exit 1, and the secret is never shown', async () => {
    const secret = 'wrong-secret-do-not-print';
    const result = await glacier(freshCache(), ['archive', 'checkpresent', VAULT, 'alpha'], { AWS_SECRET_ACCESS_KEY: secret });
    assert.equal(result.status, 1);
    assert.equal(result.stdout.length, 0);
    assert.match(result.stderr, /AWS rejected the credentials/);
    assert.ok(!result.stderr.includes(secret));
  });
});
