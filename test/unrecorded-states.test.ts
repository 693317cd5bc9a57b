// A process killed between Glacier's doing something and the cache's recording it leaves a
// state with a defined recovery: a delete whose answer never came leaves the archive
// absent here; an upload completed but never recorded is not uploaded a second time.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { canMountTmpfs, runOnTmpfs } from './helpers/privateTmpfs.js';
import { useEmulator } from './helpers/emulatorFixture.js';
import { binPath, runCli, startCli } from './helpers/runCli.js';
import { waitFor, waitForRequests } from './helpers/waitFor.js';
import { assertOk, MiB, uploadFixture } from './helpers/uploadFixtures.js';
import { randomData } from './helpers/randomData.js';

const emulator = useEmulator({ jobDelay: 0, inventoryDelay: 0 });

/**
 * Runs glacier ARGS, holding OPERATION's request in the emulator until the process is
 * killed (SIGKILL); then lets the emulator carry the request out, and waits for `done`.
 */
async function killedDuring(env: NodeJS.ProcessEnv, args: string[], operation: string, done: () => Promise<boolean>): Promise<void> {
  await emulator.resetRequestCounts();
  await emulator.addFault(`${operation}:delay:ms=1500:count=1`);
  const running = startCli('glacier', args, { env });
  try {
    await waitForRequests(emulator, operation);
  } finally {
    running.child.kill('SIGKILL');
    await running.result;
  }
  await waitFor(`${operation} carried out`, done);
  await emulator.clearFaults();
}

describe('states left by a kill after the service acted', () => {
  it('archive delete killed after Glacier deleted: the cache no longer calls it present', async () => {
    const fixture = await uploadFixture(emulator);
    assertOk(await runCli('glacier', ['archive', 'upload', '--name', 'doomed', fixture.vault, fixture.file('d', randomData(100))], { env: fixture.env }));
    await killedDuring(fixture.env, ['archive', 'delete', fixture.vault, 'doomed'], 'DeleteArchive', async () => (await emulator.listArchives(fixture.vault)).length === 0);
    const present = await runCli('glacier', ['archive', 'checkpresent', '--quiet', fixture.vault, 'doomed'], { env: fixture.env });
    assert.equal(present.stdout.toString(), '', 'not present');
    const listed = await runCli('glacier', ['archive', 'list', fixture.vault], { env: fixture.env });
    assert.equal(listed.stdout.toString(), '');
  });

  it('a refused delete leaves the archive as it was', async () => {
    const fixture = await uploadFixture(emulator);
    assertOk(await runCli('glacier', ['archive', 'upload', '--name', 'kept', fixture.vault, fixture.file('k', randomData(100))], { env: fixture.env }));
    await emulator.addFault('DeleteArchive:throttle');
    const refused = await runCli('glacier', ['archive', 'delete', fixture.vault, 'kept'], { env: { ...fixture.env, GLACIER_RETRY_ATTEMPTS: '2' } });
    await emulator.clearFaults();
    assert.equal(refused.status, 1, refused.stderr);
    const listed = await runCli('glacier', ['archive', 'list', fixture.vault], { env: fixture.env });
    assert.equal(listed.stdout.toString(), 'kept\n');
  });

  it('--resume after an upload completed but not recorded: no second copy; recorded once an inventory names it', async () => {
    const fixture = await uploadFixture(emulator);
    const file = fixture.file('big.img', randomData(3 * MiB));
    const upload = ['archive', 'upload', '--part-size', '1M', fixture.vault, file];
    await killedDuring(fixture.env, upload, 'CompleteMultipartUpload', async () => (await emulator.listArchives(fixture.vault)).length === 1);

    const resumed = await runCli('glacier', [...upload.slice(0, 2), '--resume', ...upload.slice(2)], { env: fixture.env });
    assert.equal(resumed.status, 1, resumed.stderr);
    assert.match(resumed.stderr, /^glacier: an earlier run sent the last step of the upload of 'big.img' .* not uploading a second copy/m);
    assert.equal((await emulator.listArchives(fixture.vault)).length, 1, 'one archive');

    await emulator.forceInventory(fixture.vault);
    assertOk(await runCli('glacier', ['vault', 'sync', '--wait', '--poll-interval', '0.1', fixture.vault], { env: fixture.env }));
    const again = await runCli('glacier', [...upload.slice(0, 2), '--resume', ...upload.slice(2)], { env: fixture.env });
    assertOk(again);
    assert.match(again.stderr, /was completed by an earlier run: archive id:/);
    assert.equal((await emulator.listArchives(fixture.vault)).length, 1, 'still one archive');
    const pending = await runCli('glacier', ['upload', 'list', fixture.vault], { env: fixture.env });
    assert.equal(pending.stdout.toString(), '', 'no unfinished upload left');
  });
});

describe('--resume when the upload already finished', () => {
  it('an upload finished and recorded: --resume sends nothing and names the archive', async () => {
    const fixture = await uploadFixture(emulator);
    const file = fixture.file('done.img', randomData(3 * MiB));
    const first = await runCli('glacier', ['archive', 'upload', '--print-id', '--part-size', '1M', fixture.vault, file], { env: fixture.env });
    assertOk(first);
    await emulator.resetRequestCounts();
    const again = await runCli('glacier', ['archive', 'upload', '--print-id', '--resume', '--part-size', '1M', fixture.vault, file], { env: fixture.env });
    assertOk(again);
    assert.equal(again.stdout.toString(), first.stdout.toString(), 'the same archive id');
    assert.match(again.stderr, /nothing to resume: 'done.img' is already stored from this input as archive id:/);
    assert.deepEqual(await emulator.requestCounts(), {});
    assert.equal((await emulator.listArchives(fixture.vault)).length, 1);
  });
});

describe('a cache that cannot record a new multipart upload', () => {
  it('cancels the upload rather than leave an orphan', async (t) => {
    const fixture = await uploadFixture(emulator);
    const tiny = join(fixture.dir, 'tiny');
    mkdirSync(tiny);
    const node = process.execPath;
    const glacier = binPath('glacier');
    const file = fixture.file('big.img', randomData(3 * MiB));
    // Inside one private mount: a cache on a 1 MiB disk that knows the vault, then the disk
    // filled to the last byte, then a multipart upload.
    const script = [
      `"${node}" "${glacier}" archive upload --name small ${fixture.vault} "${fixture.file('s', randomData(10))}" || exit 10`,
      `dd if=/dev/zero of="$0/fill" bs=4k 2>/dev/null; dd if=/dev/zero of="$0/fill2" bs=1 2>/dev/null`,
      `exec "${node}" "${glacier}" archive upload --part-size 1M ${fixture.vault} "${file}"`,
    ].join('\n');
    if (!canMountTmpfs(tiny)) {
      t.skip('cannot mount a tmpfs in a private mount namespace here (needs root)');
      return;
    }
    await emulator.resetRequestCounts();
    const run = runOnTmpfs(tiny, { options: 'size=1m' }, 'sh', ['-c', script, tiny], { ...fixture.env, GLACIER_CACHE_DIR: join(tiny, 'cache') });
    assert.equal(run.status, 1, run.stderr);
    // The first line, if any, is LMDB's own (its C code writes it); ours stands on a line of its own.
    assert.match(
      run.stderr,
      /^(Write error: [^\n]*\n)?glacier: cannot write the cache in \S+: No space left on device \(is the disk full\?\); the multipart upload was cancelled\n$/,
    );
    const counts = await emulator.requestCounts();
    assert.equal(counts.InitiateMultipartUpload, 1);
    assert.equal(counts.AbortMultipartUpload, 1);
    const listed = await runCli('glacier', ['upload', 'list', fixture.vault], { env: fixture.env });
    assert.equal(listed.stdout.toString(), '', 'no multipart upload left in Glacier');
  });
});
