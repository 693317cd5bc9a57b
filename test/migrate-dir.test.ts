// glacier-migrate into a local directory, and what needs no S3: hostile names, reruns,
// --dry-run and --limit-rate.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { useEmulator } from './helpers/emulatorFixture.js';
import { runCli } from './helpers/runCli.js';
import { migrate, scratch, vaultWith } from './migrateFixtures.js';
import { MiB } from '../src/streams/treeHash.js';

function filesUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else found.push(relative(root, path));
    }
  };
  walk(root);
  return found.sort();
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('glacier-migrate to a directory', () => {
  const emulator = useEmulator({ jobDelay: 0 });

  test('hostile names stay inside DIR, escaped; bytes verified; a rerun sends nothing', async () => {
    const names = ['../../escape', '/etc/passwd-copy', 'a/./b/../c', 'pct%41 name', 'deep/dir/file.txt', ''];
    const fixture = await vaultWith(emulator, undefined, names);
    const outside = scratch();
    const root = join(outside, 'dest');
    mkdirSync(root);
    const result = await migrate(fixture.env, ['--wait', '--poll-interval', '0.05', fixture.vault, root]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.length, 0);
    const [escape, absolute, dots, percent, deep, empty] = fixture.archives;
    const expected: Record<string, string> = {
      '%2E%2E/%2E%2E/escape': escape!.sha256,
      'etc/passwd-copy': absolute!.sha256,
      'a/%2E/b/%2E%2E/c': dots!.sha256,
      'pct%2541 name': percent!.sha256,
      'deep/dir/file.txt': deep!.sha256,
      [`glacier-archive-${empty!.id}`]: empty!.sha256,
    };
    assert.deepEqual(filesUnder(root), Object.keys(expected).sort());
    for (const [path, digest] of Object.entries(expected)) assert.equal(sha256(readFileSync(join(root, path))), digest, path);
    assert.deepEqual(readdirSync(outside), ['dest']);

    await emulator.resetRequestCounts();
    const rerun = await migrate(fixture.env, [fixture.vault, root]);
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.match(rerun.stderr, /all 6 archives .* 0 migrated now/);
    assert.deepEqual(await emulator.requestCounts(), {});
  });

  test('a file of other bytes is a conflict, never overwritten', async () => {
    const fixture = await vaultWith(emulator, undefined, ['one', 'two']);
    const root = scratch();
    writeFileSync(join(root, 'one'), 'not the archive');
    const refused = await migrate(fixture.env, ['--wait', '--poll-interval', '0.05', fixture.vault, root]);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /exists with 15 bytes, not the archive's 1000/);
    assert.equal(readFileSync(join(root, 'one'), 'utf8'), 'not the archive');
    assert.equal(sha256(readFileSync(join(root, 'two'))), fixture.archives[1]!.sha256);
  });

  test('another machine with an empty cache starts no job for what the directory holds', async () => {
    const fixture = await vaultWith(emulator, undefined, ['one', 'two']);
    const root = scratch();
    const first = await migrate(fixture.env, ['--wait', '--poll-interval', '0.05', fixture.vault, root]);
    assert.equal(first.status, 0, first.stderr);
    await emulator.forceInventory(fixture.vault);
    await emulator.resetRequestCounts();
    const elsewhere = { ...fixture.env, GLACIER_CACHE_DIR: join(scratch(), 'cache') };
    const second = await migrate(elsewhere, ['--wait', '--poll-interval', '0.05', fixture.vault, root]);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /has never been synced/);
    assert.match(second.stderr, /all 2 archives .* 0 migrated now/);
    const counts = await emulator.requestCounts();
    assert.equal(counts.InitiateJob, undefined, JSON.stringify(counts));
  });

  test('a symlinked parent directory is not written through', async () => {
    const fixture = await vaultWith(emulator, undefined, ['link/file']);
    const root = scratch();
    const elsewhere = scratch();
    symlinkSync(elsewhere, join(root, 'link'));
    const result = await migrate(fixture.env, ['--wait', '--poll-interval', '0.05', fixture.vault, root]);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /not writing through it/);
    assert.deepEqual(readdirSync(elsewhere), []);
  });

  test('--dry-run starts no job and writes nothing; --prices replaces the table', async () => {
    const fixture = await vaultWith(emulator, undefined, ['a', 'b'], () => 3 * MiB);
    const root = scratch();
    const prices = join(scratch(), 'prices.json');
    writeFileSync(prices, JSON.stringify({ date: '2030-01-01', retrieval: { Bulk: { perGiB: 1024 } } }));
    await emulator.resetRequestCounts();
    const result = await runCli('glacier', ['vault', 'migrate', '--dry-run', '--prices', prices, fixture.vault, root], { env: fixture.env });
    assert.equal(result.status, 0, result.stderr);
    const report = result.stdout.toString();
    assert.match(report, /archives: 2 to migrate \(6 MiB\), 0 already done/);
    assert.match(report, /requests: 2 Glacier retrieval jobs/);
    assert.match(report, /bulk \$6\.00/);
    assert.match(report, /as of 2030-01-01/);
    assert.match(report, /expected duration: /);
    const counts = await emulator.requestCounts();
    assert.equal(counts.InitiateJob, undefined, JSON.stringify(counts));
    assert.deepEqual(readdirSync(root), []);

    const bad = await migrate(fixture.env, ['--dry-run', '--prices', prices.replace('prices', 'missing'), fixture.vault, root]);
    assert.equal(bad.status, 2, bad.stderr);
  });

  test('--limit-rate holds the rate within 10 %', async () => {
    // Twelve seconds at the rate, so that a loaded machine's fixed costs stay small beside it.
    const fixture = await vaultWith(emulator, undefined, ['slow.bin'], () => 48 * MiB);
    const root = scratch();
    const result = await migrate(fixture.env, ['--limit-rate', '4M', '--wait', '--poll-interval', '0.05', fixture.vault, root]);
    assert.equal(result.status, 0, result.stderr);
    const match = /\(48 MiB in ([\d.]+) s, /.exec(result.stderr);
    assert.ok(match, result.stderr);
    const rate = (48 * MiB) / Number(match[1]);
    assert.ok(Math.abs(rate - 4 * MiB) <= 0.1 * 4 * MiB, `rate ${(rate / MiB).toFixed(2)} MiB/s`);
  });

  test('--delete-source --yes deletes each archive from the vault once its copy is verified', async () => {
    const fixture = await vaultWith(emulator, undefined, ['keep/a', 'keep/b']);
    const root = scratch();
    const manifest = join(scratch(), 'manifest.jsonl');
    writeFileSync(join(root, 'keep'), 'a file where a directory must go');
    const partly = await migrate(fixture.env, ['--delete-source', '--yes', '--manifest', manifest, '--wait', '--poll-interval', '0.05', fixture.vault, root]);
    assert.equal(partly.status, 1, partly.stderr);
    assert.equal((await emulator.listArchives(fixture.vault)).length, 2, 'nothing deleted without a verified copy');

    rmSync(join(root, 'keep'));
    const result = await migrate(fixture.env, ['--delete-source', '--yes', '--manifest', manifest, '--wait', '--poll-interval', '0.05', fixture.vault, root]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(await emulator.listArchives(fixture.vault), []);
    for (const archive of fixture.archives) assert.equal(sha256(readFileSync(join(root, archive.name))), archive.sha256);
    const statuses = readFileSync(manifest, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { status: string }).status);
    assert.deepEqual(statuses.filter((status) => status === 'source-deleted').length, 2);
  });

  test('usage errors: exit 2 before any request', async () => {
    const fixture = await vaultWith(emulator, undefined, []);
    await emulator.resetRequestCounts();
    const cases: [string[], RegExp][] = [
      [[fixture.vault, '/nonexistent/dir'], /not an existing directory/],
      [[fixture.vault, 's3://Bad_Bucket'], /not a valid S3 bucket name/],
      [['--shard', '2/2', fixture.vault, '/tmp'], /--shard takes K\/N/],
      [['--limit-rate', 'fast', fixture.vault, '/tmp'], /--limit-rate takes/],
      [['--storage-class', 'COLD', fixture.vault, 's3://bucket-one'], /--storage-class takes one of/],
      [['--delete-source', fixture.vault, '/tmp'], /confirm with --yes/],
      [[fixture.vault], /missing DEST/],
    ];
    for (const [args, message] of cases) {
      const result = await migrate(fixture.env, args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    }
    assert.deepEqual(await emulator.requestCounts(), {});
  });
});
