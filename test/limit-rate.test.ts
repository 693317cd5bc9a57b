// --limit-rate on upload and retrieve: never faster than asked, whatever the concurrency.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { useEmulator } from './helpers/emulatorFixture.js';
import { runCli } from './helpers/runCli.js';
import { scratch, vaultWith } from './migrateFixtures.js';
import { randomData } from './helpers/randomData.js';
import { writeFileSync } from 'node:fs';
import { MiB } from '../src/streams/treeHash.js';

describe('--limit-rate on upload and retrieve', () => {
  const emulator = useEmulator({ jobDelay: 0 });

  test('archive upload with 8 parts in flight stays under the rate', async () => {
    const fixture = await vaultWith(emulator, undefined, []);
    const file = join(scratch(), 'data.bin');
    writeFileSync(file, randomData(12 * MiB));
    const started = performance.now();
    const result = await runCli('glacier', ['archive', 'upload', '--part-size', '1M', '--concurrency', '8', '--limit-rate', '4M', fixture.vault, file], {
      env: fixture.env,
      timeoutMs: 60_000,
    });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(result.status, 0, result.stderr);
    assert.ok(seconds >= 3 * 0.9, `12 MiB at 4 MiB/s took ${seconds.toFixed(2)} s`);
  });

  test('archive retrieve stays under the rate', async () => {
    const fixture = await vaultWith(emulator, undefined, ['r.bin'], () => 12 * MiB);
    const output = join(scratch(), 'out.bin');
    const retrieve = () =>
      runCli('glacier-retrieve', ['--wait', '--poll-interval', '0.05', '--multipart-size', '1M', '--limit-rate', '4M', '-o', output, fixture.vault, 'r.bin'], {
        env: fixture.env,
        timeoutMs: 60_000,
      });
    const started = performance.now();
    const result = await retrieve();
    const seconds = (performance.now() - started) / 1000;
    assert.equal(result.status, 0, result.stderr);
    assert.ok(seconds >= 3 * 0.9, `12 MiB at 4 MiB/s took ${seconds.toFixed(2)} s`);
  });
});
