// Files a retrieval creates or resumes are never written through a symlink planted beside
// the target (someone who can write the folder must not aim our writes), the partial files
// are private, and the finished file gets its mode from the umask.
import assert from 'node:assert/strict';
import { copyFileSync, lstatSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { runCli, type CliResult } from './helpers/runCli.js';
import { useEmulator } from './helpers/emulatorFixture.js';
import { makeScratchDir } from './helpers/scratchDir.js';
import { MiB } from '../src/streams/treeHash.js';
import { clientEnv, rememberArchives, sha256Hex, uploadArchive, type UploadedArchive } from './retrieveFixtures.js';
import { randomData } from './helpers/randomData.js';

const scratch = (): string => makeScratchDir('glacier-links-test-');

describe('partial files and symlinks', () => {
  const emulator = useEmulator({ jobDelay: 0 });
  let env: NodeJS.ProcessEnv;
  let archive: UploadedArchive;
  const retrieve = (target: string, extra: string[] = [], moreEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
    runCli('glacier-retrieve', ['-o', target, '--multipart-size', '1M', ...extra, 'v', 'data.bin'], { env: { ...env, ...moreEnv }, timeoutMs: 60_000 });
  // A download that stops part-way with verified segments on disk: after the first
  // requests, every GetJobOutput fails until the (small) retry budget is spent.
  const brokenRetrieve = async (target: string, served: number): Promise<CliResult> => {
    await emulator.addFault(`GetJobOutput:500:skip=${served}`);
    const result = await retrieve(target, [], { GLACIER_RETRY_ATTEMPTS: '3' });
    await emulator.clearFaults();
    return result;
  };

  before(async () => {
    const cacheDir = scratch();
    env = clientEnv(emulator, cacheDir);
    archive = await uploadArchive(env, 'v', randomData(6 * MiB + 7), 'data.bin');
    await rememberArchives(env, cacheDir, 'v', [archive]);
    const queued = await retrieve(join(scratch(), 'first'));
    assert.equal(queued.status, 75, queued.stderr);
  });

  test('a link planted at the sidecar path: the file it names is untouched', async () => {
    const dir = scratch();
    const victim = join(scratch(), 'victim');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(dir, '.out.glacier-partial.segments'));
    const result = await retrieve(join(dir, 'out'));
    assert.equal(result.status, 0, result.stderr);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    assert.equal(sha256Hex(readFileSync(join(dir, 'out'))), archive.sha256);
    assert.deepEqual(readdirSync(dir), ['out']);
  });

  test('a link planted at the data path of a resumable download: not written through, not delivered', async () => {
    const dir = scratch();
    const target = join(dir, 'out');
    const broken = await brokenRetrieve(target, 3);
    assert.equal(broken.status, 1, broken.stderr);
    // The sidecar vouches for three segments; the bytes it vouches for now sit in the
    // victim, reached through a link at the data path.
    const partial = join(dir, '.out.glacier-partial');
    const victim = join(scratch(), 'victim');
    copyFileSync(partial, victim);
    const before = readFileSync(victim);
    rmSync(partial);
    symlinkSync(victim, partial);
    const result = await retrieve(target);
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /resuming/);
    assert.ok(readFileSync(victim).equals(before), 'the link target is unchanged');
    assert.ok(lstatSync(target).isFile(), 'the delivered file is a regular file, not a link');
    assert.equal(sha256Hex(readFileSync(target)), archive.sha256);
  });

  test('a link at the destination is replaced, with --force, never followed', async () => {
    const dir = scratch();
    const victim = join(scratch(), 'victim');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(dir, 'out'));
    const result = await retrieve(join(dir, 'out'), ['--force']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    assert.ok(lstatSync(join(dir, 'out')).isFile());
  });

  test('partial files are 0600; the finished file takes its mode from the umask', async () => {
    const dir = scratch();
    const target = join(dir, 'out');
    const broken = await brokenRetrieve(target, 2);
    assert.equal(broken.status, 1, broken.stderr);
    assert.equal(statSync(join(dir, '.out.glacier-partial')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, '.out.glacier-partial.segments')).mode & 0o777, 0o600);
    const done = await retrieve(target);
    assert.equal(done.status, 0, done.stderr);
    assert.equal(statSync(target).mode & 0o777, 0o666 & ~currentUmask());
  });
});

function currentUmask(): number {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((text) => text.startsWith('Umask:'));
  return parseInt(line?.split(/\s+/)[1] ?? '022', 8);
}
