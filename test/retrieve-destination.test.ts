// A destination that cannot be written is refused before any request (exit 2, one line):
// a retrieval job takes hours, and finding out then is too late. Without -o the file goes
// into the current directory, whatever the archive's name says.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { binPath, runCli, type CliResult } from './helpers/runCli.js';
import { useEmulator } from './helpers/emulatorFixture.js';
import { makeScratchDir } from './helpers/scratchDir.js';
import { canMountTmpfs, runOnTmpfs } from './helpers/privateTmpfs.js';
import { clientEnv, rememberArchives, sha256Hex, uploadArchive, type UploadedArchive } from './retrieveFixtures.js';
import { randomData } from './helpers/randomData.js';

const scratch = (): string => makeScratchDir('glacier-destination-test-');

describe('retrieve destinations', () => {
  const emulator = useEmulator({ jobDelay: 0 });
  let env: NodeJS.ProcessEnv;
  let archive: UploadedArchive;
  before(async () => {
    const cacheDir = scratch();
    env = clientEnv(emulator, cacheDir);
    archive = await uploadArchive(env, 'v', randomData(100), '../../escape.bin');
    await rememberArchives(env, cacheDir, 'v', [archive]);
  });

  const refused = async (result: CliResult | { status: number | null; stderr: string }, message: RegExp): Promise<void> => {
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.deepEqual(await emulator.requestCounts(), {});
  };

  test('--force onto a directory of the default name', async () => {
    const cwd = scratch();
    mkdirSync(join(cwd, 'escape.bin'));
    await emulator.resetRequestCounts();
    const result = await runCli('glacier-retrieve', ['--force', 'v', '../../escape.bin'], { env, cwd, timeoutMs: 30_000 });
    await refused(result, /^glacier: cannot write 'escape.bin': it is a directory; name a file$/m);
  });

  test('-o into a folder on a read-only file system', async (t) => {
    const dir = scratch();
    if (!canMountTmpfs(dir)) {
      t.skip('cannot mount a tmpfs in a private mount namespace here (needs root)');
      return;
    }
    await emulator.resetRequestCounts();
    const result = runOnTmpfs(dir, { options: 'ro' }, process.execPath, [binPath('glacier-retrieve'), '-o', join(dir, 'out'), 'v', '../../escape.bin'], env);
    await refused(result, /^glacier: cannot write '\S+\/out' in directory '\S+': it is on a read-only file system$/m);
  });

  test('-o- onto a closed standard output fails before any request', async () => {
    await emulator.resetRequestCounts();
    const result = spawnSync('bash', ['-c', `"${process.execPath}" "$0" -o- v ../../escape.bin >&-`, binPath('glacier-retrieve')], { env, encoding: 'utf8', timeout: 30_000 });
    await refused(result, /^glacier: standard output is closed, so the archive would be lost/m);
  });

  test('a full disk during a download to a file: exit 1 with the way to resume', async (t) => {
    const dir = scratch();
    if (!canMountTmpfs(dir)) {
      t.skip('cannot mount a tmpfs in a private mount namespace here (needs root)');
      return;
    }
    const big = await uploadArchive(env, 'v', randomData(5 * 1024 * 1024), 'big.bin');
    await rememberArchives(env, String(env.GLACIER_CACHE_DIR), 'v', [big]);
    const args = ['--multipart-size', '1M', '-o', join(dir, 'big.bin'), 'v', 'big.bin'];
    assert.equal((await runCli('glacier-retrieve', args, { env, timeoutMs: 30_000 })).status, 75);
    const full = runOnTmpfs(dir, { options: 'size=2m' }, process.execPath, [binPath('glacier-retrieve'), ...args], env);
    assert.equal(full.status, 1, `status ${full.status}, signal ${full.signal}, stderr: ${full.stderr}, error: ${full.error?.message}`);
    assert.match(
      full.stderr,
      /^glacier: cannot write \S+\.big\.bin\.glacier-partial: .*ENOSPC.*; the verified part of 'big.bin' stays there: make room and run the same command again to resume$/m,
    );
    assert.doesNotMatch(full.stderr, /unexpected error/);
  });

  test("a name reaching up with '..' is written in the current directory", async () => {
    const cwd = join(scratch(), 'a', 'b');
    mkdirSync(cwd, { recursive: true });
    let done = await runCli('glacier-retrieve', ['v', '../../escape.bin'], { env, cwd, timeoutMs: 30_000 });
    if (done.status === 75) done = await runCli('glacier-retrieve', ['v', '../../escape.bin'], { env, cwd, timeoutMs: 30_000 });
    assert.equal(done.status, 0, done.stderr);
    assert.deepEqual(readdirSync(cwd), ['escape.bin']);
    assert.deepEqual(readdirSync(join(cwd, '..', '..')), ['a']);
    assert.equal(sha256Hex(readFileSync(join(cwd, 'escape.bin'))), archive.sha256);
  });
});
