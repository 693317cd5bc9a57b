// `git annex -J8` runs eight glacier processes on one cache: every write of every process
// must land. Eight uploads through the real executable, then eight raw writers.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { GlacierCache } from '../src/cache/glacierCache.js';
import { useEmulatorFixture } from './helpers/emulatorFixture.js';
import type { CliResult } from './helpers/runCli.js';

const PROCESSES = 8;

const fixture = useEmulatorFixture('glacier-cache-concurrency-', { inventoryDelay: 0 });

test('eight concurrent uploads into one cache: all eight listed', async () => {
  const cacheDir = join(fixture.scratch, 'uploads');
  const glacier = (args: string[], input?: string): Promise<CliResult> => fixture.glacier(cacheDir, args, {}, input);
  assert.equal((await glacier(['vault', 'create', 'busy'])).status, 0);
  const names = Array.from({ length: PROCESSES }, (_, index) => `key-${index}`);
  const results = await Promise.all(names.map((name) => glacier(['archive', 'upload', '--name', name, 'busy', '-'], `${name}\n`)));
  for (const result of results) assert.equal(result.status, 0, result.stderr);
  const listed = await glacier(['archive', 'list', 'busy']);
  assert.equal(listed.stdout.toString(), names.map((name) => `${name}\n`).join(''));
  assert.equal(statSync(join(cacheDir, 'lmdb')).mode & 0o777, 0o700, 'the cache is private');
});

test('four syncs of one vault at once into one cache: every archive, no false warnings', async () => {
  const cacheDir = join(fixture.scratch, 'syncs');
  const count = 60_000;
  await fixture.emulator.seed('crowded', count, 'seeded-');
  const queued = await fixture.glacier(cacheDir, ['vault', 'sync', 'crowded']);
  assert.equal(queued.status, 75, queued.stderr);
  const ready = await fixture.glacier(join(fixture.scratch, 'other'), ['vault', 'sync', '--wait', '--poll-interval', '0.2', 'crowded']);
  assert.equal(ready.status, 0, ready.stderr);
  const results = await Promise.all(Array.from({ length: 4 }, () => fixture.glacier(cacheDir, ['vault', 'sync', '--fix', 'crowded'])));
  for (const result of results) {
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /^glacier: (warning|info)/m);
  }
  const listed = await fixture.glacier(cacheDir, ['archive', 'list', 'crowded']);
  assert.equal(listed.stdout.toString().split('\n').length, count + 1);
});

test('eight processes writing the cache at once lose nothing', async () => {
  const cacheDir = join(fixture.scratch, 'raw');
  const perWorker = 2000;
  const script = fileURLToPath(new URL('./cache-concurrency-worker.js', import.meta.url));
  const exits = await Promise.all(
    Array.from(
      { length: PROCESSES },
      (_, worker) =>
        new Promise<number | null>((resolve, reject) => {
          const child = spawn(process.execPath, [script, cacheDir, String(worker), String(perWorker)], { stdio: ['ignore', 'ignore', 'inherit'] });
          child.on('error', reject);
          child.on('close', resolve);
        }),
    ),
  );
  assert.deepEqual(exits, Array(PROCESSES).fill(0));
  const cache = GlacierCache.open(cacheDir);
  try {
    const scope = { account: '123456789012', region: 'us-east-1', vault: 'shared' };
    let rows = 0;
    for (const record of cache.archivesBetween(scope, undefined, undefined)) {
      assert.match(record.id, /^w[0-7]-\d{6}$/);
      rows++;
    }
    assert.equal(rows, PROCESSES * perWorker);
    let indexed = 0;
    for (const _ of cache.liveArchives(scope)) indexed++;
    assert.equal(indexed, PROCESSES * perWorker, 'the name index holds every archive');
    assert.equal(cache.findByName(scope, 'file-1999').length, PROCESSES);
  } finally {
    cache.close();
  }
});
