// `git annex -J8` runs eight glacier processes on one cache: every write of every process
// must land. Eight uploads through the real executable, then eight raw writers.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { GlacierCache } from '../src/cache/glacierCache.js';
import { startEmulator, type Emulator } from './helpers/emulator.js';
import { runCli } from './helpers/runCli.js';

const PROCESSES = 8;

let emulator: Emulator;
let scratch: string;

before(async () => {
  emulator = await startEmulator({ inventoryDelay: 0 });
  scratch = mkdtempSync(join(tmpdir(), 'glacier-cache-concurrency-'));
});

after(async () => {
  await emulator?.stop();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

test('eight concurrent uploads into one cache: all eight listed', async () => {
  const cacheDir = join(scratch, 'uploads');
  const env = { PATH: process.env.PATH, HOME: scratch, ...emulator.env, GLACIER_CACHE_DIR: cacheDir, GLACIER_RETRY_BASE_MS: '20' };
  assert.equal((await runCli('glacier', ['vault', 'create', 'busy'], { env })).status, 0);
  const names = Array.from({ length: PROCESSES }, (_, index) => `key-${index}`);
  const results = await Promise.all(
    names.map((name) => runCli('glacier', ['archive', 'upload', '--name', name, 'busy', '-'], { env, input: `${name}\n`, timeoutMs: 60_000 })),
  );
  for (const result of results) assert.equal(result.status, 0, result.stderr);
  const listed = await runCli('glacier', ['archive', 'list', 'busy'], { env });
  assert.equal(listed.stdout.toString(), names.map((name) => `${name}\n`).join(''));
  assert.equal(statSync(join(cacheDir, 'lmdb')).mode & 0o777, 0o700, 'the cache is private');
});

test('four syncs of one vault at once into one cache: every archive, no false warnings', async () => {
  const cacheDir = join(scratch, 'syncs');
  const env = { PATH: process.env.PATH, HOME: scratch, ...emulator.env, GLACIER_CACHE_DIR: cacheDir, GLACIER_RETRY_BASE_MS: '20' };
  const count = 60_000;
  await emulator.seed('crowded', count, 'seeded-');
  const queued = await runCli('glacier', ['vault', 'sync', 'crowded'], { env });
  assert.equal(queued.status, 75, queued.stderr);
  const ready = await runCli('glacier', ['vault', 'sync', '--wait', '--poll-interval', '0.2', 'crowded'], { env: { ...env, GLACIER_CACHE_DIR: join(scratch, 'other') } });
  assert.equal(ready.status, 0, ready.stderr);
  const results = await Promise.all(
    Array.from({ length: 4 }, () => runCli('glacier', ['vault', 'sync', '--fix', 'crowded'], { env, timeoutMs: 60_000 })),
  );
  for (const result of results) {
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /^glacier: (warning|info)/m);
  }
  const listed = await runCli('glacier', ['archive', 'list', 'crowded'], { env });
  assert.equal(listed.stdout.toString().split('\n').length, count + 1);
});

test('eight processes writing the cache at once lose nothing', async () => {
  const cacheDir = join(scratch, 'raw');
  const perWorker = 2000;
  const script = fileURLToPath(new URL('./cache-concurrency-worker.js', import.meta.url));
  const exits = await Promise.all(
    Array.from({ length: PROCESSES }, (_, worker) =>
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
