// Interrupted uploads: killed, Ctrl-C'd, or out of retries, each leaves a multipart upload
// that `--resume` finishes by sending only the missing parts, after checking the input
// against the parts Glacier holds; `upload list` shows them and `upload abort` cancels.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { treeHashOf } from '../src/streams/treeHash.js';
import { useEmulator } from './helpers/emulatorFixture.js';
import { runCli, startCli } from './helpers/runCli.js';
import { waitFor, waitForRequests } from './helpers/waitFor.js';
import { assertOk, MiB, stderrLines, uploadFixture, type UploadFixture } from './helpers/uploadFixtures.js';
import { randomData } from './helpers/randomData.js';

const emulator = useEmulator({ jobDelay: 0 });

async function assertOnlyArchive(vault: string, data: Buffer, name: string): Promise<void> {
  const archives = await emulator.listArchives(vault);
  assert.equal(archives.length, 1, JSON.stringify(archives));
  const archive = archives[0] as { ArchiveId: string; ArchiveDescription: string; SHA256TreeHash: string };
  assert.equal(archive.ArchiveDescription, name);
  assert.equal(archive.SHA256TreeHash, treeHashOf(data).toString('hex'));
  assert.deepEqual(await emulator.archiveBytes(vault, archive.ArchiveId), data);
}

async function uploadList(fixture: UploadFixture): Promise<string[][]> {
  const result = await runCli('glacier', ['upload', 'list', fixture.vault], { env: fixture.env });
  assertOk(result);
  return result.stdout
    .toString()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
}

describe('upload --resume', () => {
  it('finishes a file upload killed with SIGKILL, sending only the missing parts', async () => {
    const fixture = await uploadFixture(emulator);
    const data = randomData(8 * MiB);
    const file = fixture.file('big.img', data);
    await emulator.resetRequestCounts();
    await emulator.addFault('UploadPart:delay:ms=300');
    const running = startCli('glacier-upload', ['--part-size', '1M', '--concurrency', '1', fixture.vault, file], { env: fixture.env });
    try {
      await waitForRequests(emulator, 'UploadPart', 3, { timeoutMs: 20_000 });
    } finally {
      running.child.kill('SIGKILL');
      await running.result;
      await emulator.clearFaults();
    }
    const pending = await uploadList(fixture);
    assert.equal(pending.length, 1, JSON.stringify(pending));
    const [vault, uploadId, , partSize, partsSent, source, name] = pending[0] as string[];
    assert.equal(vault, fixture.vault);
    assert.equal(partSize, '1M');
    assert.equal(source, file);
    assert.equal(name, 'big.img');
    const sent = Number(partsSent);
    assert.ok(sent >= 2 && sent < 8, `parts recorded: ${partsSent}`);

    await emulator.resetRequestCounts();
    const resumed = await runCli('glacier-upload', ['--resume', fixture.vault, file], { env: fixture.env });
    assertOk(resumed);
    assert.equal(resumed.stdout.length, 0);
    assert.equal(resumed.stderr, '');
    const counts = await emulator.requestCounts();
    assert.ok((counts.ListParts ?? 0) >= 1);
    assert.equal(counts.InitiateMultipartUpload, undefined);
    assert.ok((counts.UploadPart ?? 0) <= 8 - sent, `UploadPart ${counts.UploadPart} after ${sent} stored`);
    await assertOnlyArchive(fixture.vault, data, 'big.img');
    assert.deepEqual(await uploadList(fixture), [], `upload ${uploadId} still listed`);
  });

  it('resumes a pipe whose retries ran out, and refuses a different input', async () => {
    const fixture = await uploadFixture(emulator, { GLACIER_RETRY_ATTEMPTS: '1' });
    const data = randomData(5 * MiB + 3);
    const args = ['--part-size', '1M', '--concurrency', '1', '--name', 'stream.tar', fixture.vault, '-'];
    await emulator.addFault('UploadPart:500:skip=2:count=1');
    const failed = await runCli('glacier-upload', args, { env: fixture.env, input: data });
    await emulator.clearFaults();
    assert.equal(failed.status, 1, failed.stderr);
    assert.equal(failed.stdout.length, 0);
    const lines = stderrLines(failed.stderr);
    assert.equal(lines.length, 1, failed.stderr);
    assert.match(
      lines[0] as string,
      new RegExp(
        `^glacier: ServiceUnavailableException \\(HTTP 500\\).*; the upload of 'stream.tar' stopped and can be resumed: ` +
          `pipe the same input again into: glacier-upload --resume --part-size 1M --concurrency 1 --name stream.tar ${fixture.vault} -$`,
      ),
    );
    const [pending] = await uploadList(fixture);
    assert.equal(pending?.[4], '2', 'two parts recorded');
    assert.equal(pending?.[5], '-');

    const changed = Buffer.from(data);
    changed[MiB + 10]! ^= 1;
    const refused = await runCli('glacier-upload', ['--resume', ...args], { env: fixture.env, input: changed });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^glacier: the input differs from the unfinished upload in part 2 .*refusing to resume\n$/);
    assert.equal((await uploadList(fixture)).length, 1, 'the upload is left for a later resume');

    await emulator.resetRequestCounts();
    const resumed = await runCli('glacier', ['archive', 'upload', '--resume', ...args], { env: fixture.env, input: data });
    assertOk(resumed);
    assert.equal(resumed.stderr, '');
    assert.equal((await emulator.requestCounts()).UploadPart, 4);
    await assertOnlyArchive(fixture.vault, data, 'stream.tar');
  });

  it('starts afresh when Glacier dropped an upload left alone for more than 24 hours', async () => {
    const fixture = await uploadFixture(emulator, { GLACIER_RETRY_ATTEMPTS: '1' });
    const data = randomData(3 * MiB + 1);
    const args = ['--part-size', '1M', '--concurrency', '1', '--name', 'stale.tar', fixture.vault, '-'];
    await emulator.addFault('UploadPart:500:skip=1:count=1');
    const failed = await runCli('glacier-upload', args, { env: fixture.env, input: data });
    await emulator.clearFaults();
    assert.equal(failed.status, 1, failed.stderr);
    assert.equal((await uploadList(fixture)).length, 1, 'one unfinished upload');

    await emulator.advanceClock(23 * 3600);
    const listed = await runCli('glacier', ['upload', 'list', fixture.vault], { env: fixture.env });
    assert.equal(
      listed.stdout
        .toString()
        .split('\n')
        .filter((line) => line !== '').length,
      1,
      'still there after 23 h',
    );
    await emulator.advanceClock(2 * 3600);
    const resumed = await runCli('glacier-upload', ['--resume', ...args], { env: fixture.env, input: data });
    assertOk(resumed);
    assert.match(resumed.stderr, /^glacier: info: the unfinished upload of 'stale.tar' no longer exists in Glacier \(upload ids expire after about 24 h\); starting a new one\n$/);
    await assertOnlyArchive(fixture.vault, data, 'stale.tar');
    assert.deepEqual(await uploadList(fixture), [], 'nothing left to resume');
  });

  it('refuses to resume from a file that changed since the upload started', async () => {
    const fixture = await uploadFixture(emulator, { GLACIER_RETRY_ATTEMPTS: '1' });
    const file = fixture.file('changing', randomData(3 * MiB));
    await emulator.addFault('UploadPart:500:skip=1:count=1');
    const failed = await runCli('glacier-upload', ['--part-size', '1M', '--concurrency', '1', fixture.vault, file], { env: fixture.env });
    await emulator.clearFaults();
    assert.equal(failed.status, 1, failed.stderr);
    assert.match(failed.stderr, new RegExp(`can be resumed: run: glacier-upload --resume --part-size 1M --concurrency 1 ${fixture.vault} ${file}\n$`));
    fixture.file('changing', randomData(3 * MiB));
    await emulator.resetRequestCounts();
    const refused = await runCli('glacier-upload', ['--resume', fixture.vault, file], { env: fixture.env });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^glacier: '.*changing' changed \(size or modification time\) since its upload started; refusing to resume/);
    assert.deepEqual(await emulator.requestCounts(), {});
  });

  it('ends with exit 1 when a part fails while the input has stalled', async () => {
    const fixture = await uploadFixture(emulator, { GLACIER_RETRY_ATTEMPTS: '1' });
    await emulator.addFault('UploadPart:500:skip=1:count=1');
    // The input stalls: written in part, never ended.
    const input = new PassThrough();
    const running = startCli('glacier-upload', ['--part-size', '1M', '--name', 'stalled', fixture.vault, '-'], { env: fixture.env, input });
    input.write(randomData(2 * MiB + 10));
    await Promise.race([running.result, delay(15_000)]);
    // One still running has hung on its stalled input: killed, it fails the status check.
    running.child.kill('SIGKILL');
    input.destroy();
    await emulator.clearFaults();
    const { status, stderr } = await running.result;
    assert.equal(status, 1, stderr);
    assert.match(stderr, /ServiceUnavailableException.*can be resumed/);
  });

  it('stops on SIGINT after the parts in flight, exits 130 and says how to resume', async () => {
    const fixture = await uploadFixture(emulator);
    const data = randomData(4 * MiB);
    const input = new PassThrough();
    const running = startCli('glacier', ['archive', 'upload', '--part-size', '1M', '--name', 'slow pipe', fixture.vault, '-'], { env: fixture.env, input });
    // Two and a half parts, then the writer stalls as a slow producer would.
    input.write(data.subarray(0, 2 * MiB + MiB / 2));
    await waitForRequests(emulator, 'UploadPart', 2, { timeoutMs: 20_000 });
    await waitFor('two parts recorded', async () => (await uploadList(fixture))[0]?.[4] === '2', { timeoutMs: 20_000 });
    running.child.kill('SIGINT');
    const { status, stdout, stderr } = await running.result;
    input.destroy();
    assert.equal(status, 130, stderr);
    assert.equal(stdout.toString(), '');
    assert.deepEqual(stderrLines(stderr), [
      `glacier: interrupted; the upload of 'slow pipe' can be resumed: pipe the same input again into: ` +
        `glacier archive upload --resume --part-size 1M --name 'slow pipe' ${fixture.vault} -`,
    ]);

    await emulator.resetRequestCounts();
    const resumed = await runCli('glacier', ['archive', 'upload', '--resume', '--part-size', '1M', '--name', 'slow pipe', fixture.vault, '-'], {
      env: fixture.env,
      input: data,
    });
    assertOk(resumed);
    assert.equal((await emulator.requestCounts()).UploadPart, 2);
    await assertOnlyArchive(fixture.vault, data, 'slow pipe');
  });
});

describe('upload list and upload abort', () => {
  it('lists an unfinished upload, mentions it to a new upload, and aborts it by name', async () => {
    const fixture = await uploadFixture(emulator, { GLACIER_RETRY_ATTEMPTS: '1' });
    const data = randomData(3 * MiB);
    const args = ['--part-size', '1M', '--concurrency', '1', '--name', 'to-abort', fixture.vault, '-'];
    await emulator.addFault('UploadPart:500:skip=1:count=1');
    const failed = await runCli('glacier-upload', args, { env: fixture.env, input: data });
    await emulator.clearFaults();
    assert.equal(failed.status, 1);
    const [first] = await uploadList(fixture);
    const uploadId = first?.[1] ?? '';

    const fresh = await runCli('glacier-upload', args, { env: fixture.env, input: data });
    assertOk(fresh);
    // Upload ids are base64url, so about one in 64 begins with '-': the hint then puts '--'
    // before it, or the command it suggests would read the id as an option.
    const idOperand = uploadId.startsWith('-') ? `-- ${uploadId}` : uploadId;
    assert.deepEqual(stderrLines(fresh.stderr), [
      `glacier: info: an unfinished upload of 'to-abort' exists (upload id ${uploadId}); starting a new one ` +
        `(add --resume to continue it, or cancel it with 'glacier upload abort ${fixture.vault} ${idOperand}')`,
    ]);
    assert.deepEqual(
      (await uploadList(fixture)).map((fields) => fields[1]),
      [uploadId],
    );
    const everyVault = await runCli('glacier', ['upload', 'list'], { env: fixture.env });
    assertOk(everyVault);
    assert.ok(
      everyVault.stdout
        .toString()
        .split('\n')
        .some((line) => line.startsWith(`${fixture.vault}\t${uploadId}\t`)),
    );

    const missing = await runCli('glacier', ['upload', 'abort', fixture.vault, 'no-such-upload'], { env: fixture.env });
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr, `glacier: no unfinished upload 'no-such-upload' in vault '${fixture.vault}'\n`);

    const aborted = await runCli('glacier', ['upload', 'abort', fixture.vault, 'to-abort'], { env: fixture.env });
    assertOk(aborted);
    assert.equal(aborted.stdout.length, 0);
    assert.deepEqual(await uploadList(fixture), []);
  });

  it('refuses to guess between two unfinished uploads of one name, and aborts by id', async () => {
    const fixture = await uploadFixture(emulator, { GLACIER_RETRY_ATTEMPTS: '1' });
    const args = ['--part-size', '1M', '--concurrency', '1', '--name', 'twice', fixture.vault, '-'];
    for (let i = 0; i < 2; i++) {
      await emulator.addFault('UploadPart:500:count=1');
      const failed = await runCli('glacier-upload', args, { env: fixture.env, input: randomData(2 * MiB + 1) });
      assert.equal(failed.status, 1);
    }
    await emulator.clearFaults();
    const ids = (await uploadList(fixture)).map((fields) => fields[1] as string);
    assert.equal(ids.length, 2);
    const ambiguous = await runCli('glacier', ['upload', 'abort', fixture.vault, 'twice'], { env: fixture.env });
    assert.equal(ambiguous.status, 1);
    assert.match(ambiguous.stderr, /^glacier: 2 unfinished uploads are named 'twice'; abort one by its upload id: /);
    // An id may begin with '-' (one in 64): '--' ends the options, as the hints write it.
    for (const id of ids) assertOk(await runCli('glacier', ['upload', 'abort', fixture.vault, '--', id], { env: fixture.env }));
    assert.deepEqual(await uploadList(fixture), []);
  });
});
