// A cache on a full disk: the command fails with one line and exit 1, never dies of a
// signal (a memory-mapped write to a full disk is SIGBUS). The disk is a 1 MiB tmpfs
// mounted in a private mount namespace, which needs root; elsewhere the test is skipped.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulator, type Emulator } from './helpers/emulator.js';
import { binPath, runCli } from './helpers/runCli.js';

const MOUNT_AND_RUN = 'mount -t tmpfs -o size=1m tmpfs "$1" && shift && exec "$@"';

function canMountTmpfs(dir: string): boolean {
  const probe = spawnSync('unshare', ['--mount', 'sh', '-c', MOUNT_AND_RUN, 'sh', dir, 'true'], { stdio: 'ignore' });
  return probe.status === 0;
}

let emulator: Emulator;
let scratch: string;

before(async () => {
  emulator = await startEmulator({ inventoryDelay: 0 });
  scratch = mkdtempSync(join(tmpdir(), 'glacier-full-disk-'));
});

after(async () => {
  await emulator?.stop();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

test('vault sync into a cache on a full disk: one line, exit 1, no crash', async (t) => {
  const tiny = join(scratch, 'tiny');
  mkdirSync(tiny);
  if (!canMountTmpfs(tiny)) {
    t.skip('cannot mount a tmpfs in a private mount namespace here (needs root)');
    return;
  }
  const env = { PATH: process.env.PATH, HOME: scratch, ...emulator.env, GLACIER_RETRY_BASE_MS: '20' };
  await emulator.seed('crowded', 20_000, 'seeded-');
  // Settle the inventory job with a cache on a roomy disk first.
  const roomy = { ...env, GLACIER_CACHE_DIR: join(scratch, 'roomy') };
  assert.equal((await runCli('glacier', ['vault', 'sync', 'crowded'], { env: roomy })).status, 75);
  const ready = await runCli('glacier', ['vault', 'sync', '--wait', '--poll-interval', '0.2', 'crowded'], { env: roomy });
  assert.equal(ready.status, 0, ready.stderr);

  const cacheDir = join(tiny, 'cache');
  const full = spawnSync(
    'unshare',
    ['--mount', 'sh', '-c', MOUNT_AND_RUN, 'sh', tiny, process.execPath, binPath('glacier'), 'vault', 'sync', 'crowded'],
    { env: { ...env, GLACIER_CACHE_DIR: cacheDir }, encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(full.signal, null, `killed by ${full.signal}: ${full.stderr}`);
  assert.equal(full.status, 1, full.stderr);
  assert.equal(full.stdout, '');
  assert.match(full.stderr, /^glacier: cannot write the cache in \S+: .+ \(is the disk full\?\)\n$/);
});
