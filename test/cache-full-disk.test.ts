// A cache on a full disk: the command fails with one line and exit 1, never dies of a
// signal (a memory-mapped write to a full disk is SIGBUS). The disk is a 1 MiB tmpfs
// mounted in a private mount namespace, which needs root; elsewhere the test is skipped.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { useEmulatorFixture } from './helpers/emulatorFixture.js';
import { canMountTmpfs, runOnTmpfs } from './helpers/privateTmpfs.js';
import { binPath } from './helpers/runCli.js';

const fixture = useEmulatorFixture('glacier-full-disk-', { inventoryDelay: 0 });

test('vault sync into a cache on a full disk: one line, exit 1, no crash', async (t) => {
  const { emulator, scratch } = fixture;
  const tiny = join(scratch, 'tiny');
  mkdirSync(tiny);
  if (!canMountTmpfs(tiny)) {
    t.skip('cannot mount a tmpfs in a private mount namespace here (needs root)');
    return;
  }
  await emulator.seed('crowded', 20_000, 'seeded-');
  // Settle the inventory job with a cache on a roomy disk first.
  const roomy = join(scratch, 'roomy');
  assert.equal((await fixture.glacier(roomy, ['vault', 'sync', 'crowded'])).status, 75);
  const ready = await fixture.glacier(roomy, ['vault', 'sync', '--wait', '--poll-interval', '0.2', 'crowded']);
  assert.equal(ready.status, 0, ready.stderr);

  const cacheDir = join(tiny, 'cache');
  const full = runOnTmpfs(tiny, { options: 'size=1m' }, process.execPath, [binPath('glacier'), 'vault', 'sync', 'crowded'], fixture.env(cacheDir));
  assert.equal(full.signal, null, `killed by ${full.signal}: ${full.stderr}`);
  assert.equal(full.status, 1, full.stderr);
  assert.equal(full.stdout, '');
  assert.match(full.stderr, /^glacier: cannot write the cache in \S+: .+ \(is the disk full\?\)\n$/);
});
