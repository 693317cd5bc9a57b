// archive retrieve / glacier-retrieve through the real executables against the emulator.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { InitiateJobCommand, ListJobsCommand } from '@aws-sdk/client-glacier';
import { spawnSync } from 'node:child_process';
import { binPath, runCli, startCli, type CliResult } from './helpers/runCli.js';
import { useEmulator } from './helpers/emulatorFixture.js';
import { makeScratchDir } from './helpers/scratchDir.js';
import { waitFor, waitForRequests } from './helpers/waitFor.js';
import { MiB } from '../src/streams/treeHash.js';
import { clientEnv, glacierClient, rememberArchives, sha256Hex, uploadArchive, type UploadedArchive } from './retrieveFixtures.js';
import { randomData } from './helpers/randomData.js';

const scratch = (): string => makeScratchDir('glacier-retrieve-test-');

/** Signals the glacier-retrieve child this test started to write `target` (runCli hides its pid). */
function retrieve(env: NodeJS.ProcessEnv, args: string[], cwd?: string): Promise<CliResult> {
  return runCli('glacier-retrieve', args, { env, ...(cwd !== undefined ? { cwd } : {}), timeoutMs: 60_000 });
}

describe('usage errors: exit 2 before any request', () => {
  const emulator = useEmulator({ jobDelay: 0 });
  let env: NodeJS.ProcessEnv;
  before(async () => {
    env = clientEnv(emulator, scratch());
  });

  const cases: [string, string[], RegExp][] = [
    ['a segment size that is not a power of two MiB', ['--multipart-size', '3M', '-o-', 'v', 'x'], /nearest valid sizes to 3145728 are 2M \(2097152\) and 4M \(4194304\)/],
    ['a segment size below 1 MiB', ['--multipart-size', '4096', '-o-', 'v', 'x'], /--multipart-size must be a power-of-two number of MiB/],
    ['garbage as a segment size', ['--multipart-size', 'big', '-o-', 'v', 'x'], /--multipart-size takes bytes/],
    ['-o with several names', ['-o', 'out', 'v', 'a', 'b'], /-o names one output, but 2 archives/],
    ['-o- with several names', ['-o-', 'v', 'a', 'b'], /-o names one output/],
    ['an unknown tier', ['--tier', 'fast', '-o-', 'v', 'x'], /--tier takes expedited, standard or bulk, not 'fast'/],
    ['a range whose start is not MiB aligned', ['--range', '100-1048575', '-o-', 'v', 'x'], /START must be a multiple of 1 MiB/],
    ['a range that is not START-END', ['--range', '5', '-o-', 'v', 'x'], /--range takes START-END/],
    ['a missing NAME', ['v'], /missing NAME/],
    ['an invalid vault name', ['-o-', 'bad/vault', 'x'], /invalid vault name 'bad\/vault'/],
    ['a name with no usable base name', ['v', 'dir/..'], /gives no usable file name; name the output with -o/],
    ['-o into a missing directory', ['-o', '/nonexistent/dir/out', 'v', 'x'], /cannot write '\/nonexistent\/dir\/out': no directory '\/nonexistent\/dir'/],
    ['-o naming a directory', ['-o', '/tmp', 'v', 'x'], /it is a directory/],
    ['an unknown option', ['--frobnicate', 'v', 'x'], /unknown option '--frobnicate'/],
    ['a zero poll interval', ['--poll-interval', '0', '--wait', '-o-', 'v', 'x'], /--poll-interval must be more than 0/],
  ];
  for (const [what, args, message] of cases) {
    test(what, async () => {
      await emulator.resetRequestCounts();
      const result = await retrieve(env, args);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.equal(result.stdout.length, 0);
      assert.deepEqual(await emulator.requestCounts(), {});
    });
  }

  test('an existing file of the default name is not overwritten without --force', async () => {
    const cwd = scratch();
    writeFileSync(join(cwd, 'data.bin'), 'mine');
    await emulator.resetRequestCounts();
    const result = await retrieve(env, ['v', 'some/dir/data.bin'], cwd);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /'data.bin' already exists; use --force/);
    assert.equal(readFileSync(join(cwd, 'data.bin'), 'utf8'), 'mine');
    assert.deepEqual(await emulator.requestCounts(), {});
  });
});

describe('delayed completion', () => {
  const emulator = useEmulator({ standardDelay: 3600, expeditedDelay: 1 });
  let env: NodeJS.ProcessEnv;
  let cacheDir: string;
  let archive: UploadedArchive;
  let data: Buffer;
  before(async () => {
    cacheDir = scratch();
    env = clientEnv(emulator, cacheDir);
    data = randomData(3 * MiB + 17);
    archive = await uploadArchive(env, 'slow', data, 'photos/2019.tar');
    await rememberArchives(env, cacheDir, 'slow', [archive]);
  });

  test('queued, then pending, then done: exit 75, 75, 0 with the bytes', async () => {
    // The first run as git-annex makes it: the dispatcher, --region=R first.
    const first = await runCli('glacier', ['--region=us-east-1', 'archive', 'retrieve', '-o-', 'slow', 'photos/2019.tar'], { env });
    assert.equal(first.status, 75, first.stderr);
    assert.equal(first.stderr, "glacier: queued retrieval job for archive 'photos/2019.tar'\n");
    assert.equal(first.stdout.length, 0);

    const second = await retrieve(env, ['-o-', 'slow', 'photos/2019.tar']);
    assert.equal(second.status, 75, second.stderr);
    assert.equal(second.stderr, "glacier: job still pending for archive 'photos/2019.tar'\n");
    assert.equal(second.stdout.length, 0);

    await emulator.advanceClock(3600);
    const third = await retrieve(env, ['-o-', 'slow', 'photos/2019.tar']);
    assert.equal(third.status, 0, third.stderr);
    assert.equal(third.stderr, '');
    assert.equal(sha256Hex(third.stdout), archive.sha256);

    const client = glacierClient(env);
    const jobs = await client.send(new ListJobsCommand({ accountId: '-', vaultName: 'slow' }));
    client.destroy();
    assert.equal(jobs.JobList?.length, 1, 'one job served all three runs');
  });

  test('a job for a byte range does not serve the whole archive, nor the other way round', async () => {
    const ranged = await retrieve(env, ['--range', '0-1048575', '-o-', 'slow', 'photos/2019.tar']);
    assert.equal(ranged.status, 75, ranged.stderr);
    assert.match(ranged.stderr, /queued retrieval job/);
    await emulator.advanceClock(3600);
    const part = await retrieve(env, ['--range', '0-1048575', '-o-', 'slow', 'photos/2019.tar']);
    assert.equal(part.status, 0, part.stderr);
    assert.ok(part.stdout.equals(data.subarray(0, MiB)));
    const whole = await retrieve(env, ['-o-', 'slow', 'photos/2019.tar']);
    assert.equal(whole.status, 0, whole.stderr);
    assert.equal(sha256Hex(whole.stdout), archive.sha256);
  });

  test('a range that is not tree-hash aligned is refused once the size is known', async () => {
    await emulator.resetRequestCounts();
    const result = await retrieve(env, ['--range', '1048576-3145727', '-o-', 'slow', 'photos/2019.tar']);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /not tree-hash aligned/);
    assert.equal((await emulator.requestCounts()).InitiateJob, undefined);
  });

  test('a range reaching past the archive is refused', async () => {
    const result = await retrieve(env, ['--range', '0-8388607', '-o-', 'slow', 'photos/2019.tar']);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /has only 3145745 bytes/);
  });

  test('a Failed job is reported with its reason and a new one is started', async () => {
    const other = await uploadArchive(env, 'slow', randomData(1000), 'failing');
    await rememberArchives(env, cacheDir, 'slow', [other]);
    assert.equal((await retrieve(env, ['-o-', 'slow', 'failing'])).status, 75);
    const client = glacierClient(env);
    const jobs = await client.send(new ListJobsCommand({ accountId: '-', vaultName: 'slow' }));
    client.destroy();
    const job = jobs.JobList?.find((candidate) => candidate.ArchiveId === other.id);
    assert.ok(job?.JobId);
    await emulator.failJob(job.JobId, 'tape fell off the robot');
    const again = await retrieve(env, ['-o-', 'slow', 'failing']);
    assert.equal(again.status, 75, again.stderr);
    assert.match(again.stderr, new RegExp(`warning: retrieval job ${job.JobId} for archive 'failing' failed \\(tape fell off the robot\\); starting a new job`));
    assert.match(again.stderr, /queued retrieval job for archive 'failing'/);
    assert.equal(again.stdout.length, 0);
  });

  test('expired jobs are gone: a new job is queued', async () => {
    await emulator.advanceClock(25 * 3600);
    await emulator.resetRequestCounts();
    const result = await retrieve(env, ['-o-', 'slow', 'photos/2019.tar']);
    assert.equal(result.status, 75, result.stderr);
    assert.equal(result.stderr, "glacier: queued retrieval job for archive 'photos/2019.tar'\n");
    assert.equal((await emulator.requestCounts()).InitiateJob, 1);
  });

  test('--wait polls until the job is done (expedited, short poll interval)', async () => {
    const waited = await uploadArchive(env, 'slow', randomData(2 * MiB + 3), 'waited');
    const result = await retrieve(env, ['--wait', '--tier', 'expedited', '--poll-interval', '0.2', '-o-', 'slow', 'id:' + waited.id]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(sha256Hex(result.stdout), waited.sha256);
    assert.match(result.stderr, /started retrieval job .* \(Expedited\)/);
  });

  test('--wait on a job that fails exits 1 with its reason', async () => {
    const client = glacierClient(env);
    const started = await client.send(
      new InitiateJobCommand({
        accountId: '-',
        vaultName: 'slow',
        jobParameters: { Type: 'archive-retrieval', ArchiveId: archive.id, Tier: 'Bulk', RetrievalByteRange: '0-2097151' },
      }),
    );
    client.destroy();
    await emulator.resetRequestCounts();
    const waiting = retrieve(env, ['--wait', '--range', '0-2097151', '--poll-interval', '0.2', '-o-', 'slow', 'photos/2019.tar']);
    // Fail the job only once the command has found it and is polling it: failed earlier, it
    // would be replaced by a new job (as it should), and the test would wait on that one.
    await waitForRequests(emulator, 'DescribeJob');
    await emulator.failJob(started.jobId as string, 'no robot');
    const result = await waiting;
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /failed: no robot/);
    assert.equal(result.stdout.length, 0);
  });
});

describe('verified downloads', () => {
  const emulator = useEmulator({ jobDelay: 0 });
  let env: NodeJS.ProcessEnv;
  let cacheDir: string;
  const archives = new Map<string, UploadedArchive>();
  const sizes: [string, number][] = [
    ['one-byte', 1],
    ['one-mib', MiB],
    ['eight-mib-plus-one', 8 * MiB + 1],
    ['hundred-mib', 100 * MiB],
  ];
  before(async () => {
    cacheDir = scratch();
    env = clientEnv(emulator, cacheDir);
    for (const [name, size] of sizes) archives.set(name, await uploadArchive(env, 'fast', randomData(size), `dir/${name}`));
    await rememberArchives(env, cacheDir, 'fast', [...archives.values()]);
  });

  test('several names: queued together, then each written to its base name', async () => {
    const cwd = scratch();
    const names = sizes.map(([name]) => `dir/${name}`);
    const first = await retrieve(env, ['fast', ...names], cwd);
    assert.equal(first.status, 75, first.stderr);
    assert.equal(first.stderr, names.map((name) => `glacier: queued retrieval job for archive '${name}'\n`).join(''));
    assert.deepEqual(readdirSync(cwd), []);
    const second = await retrieve(env, ['fast', ...names], cwd);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stderr, names.map((name) => `glacier: retrieved archive '${name}'\n`).join(''));
    assert.equal(second.stdout.length, 0);
    for (const [name] of sizes) assert.equal(sha256Hex(readFileSync(join(cwd, name))), archives.get(name)?.sha256, name);
    assert.deepEqual(readdirSync(cwd).sort(), sizes.map(([name]) => name).sort(), 'no partial files left');
  });

  for (const [name] of sizes) {
    test(`round trip of ${name} to stdout and to -o FILE`, async () => {
      const archive = archives.get(name) as UploadedArchive;
      const piped = await retrieve(env, ['-o-', 'fast', `dir/${name}`]);
      assert.equal(piped.status, 0, piped.stderr);
      assert.equal(piped.stdout.length, archive.size);
      assert.equal(sha256Hex(piped.stdout), archive.sha256);
      const dir = scratch();
      const target = join(dir, 'out.bin');
      const written = await retrieve(env, ['-o', target, '--multipart-size', '1MiB', 'fast', `dir/${name}`]);
      assert.equal(written.status, 0, written.stderr);
      assert.equal(written.stdout.length, 0);
      assert.equal(sha256Hex(readFileSync(target)), archive.sha256);
      assert.deepEqual(readdirSync(dir), ['out.bin']);
    });
  }

  test('a transiently corrupted segment is fetched again and the result is right', async () => {
    await emulator.addFault('GetJobOutput:corrupt:count=1');
    const archive = archives.get('eight-mib-plus-one') as UploadedArchive;
    const result = await retrieve(env, ['-o-', '--multipart-size', '4M', 'fast', 'dir/eight-mib-plus-one']);
    await emulator.clearFaults();
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /warning: segment \d+ \(bytes=\d+-\d+\) of job \S+: tree hash \w+ differs from Glacier's \w+; fetching it again/);
    assert.equal(sha256Hex(result.stdout), archive.sha256);
  });

  test('persistent corruption: exit 1, no file, nothing unverified', async () => {
    await emulator.addFault('GetJobOutput:corrupt');
    const dir = scratch();
    const target = join(dir, 'out.bin');
    const result = await retrieve(env, ['-o', target, 'fast', 'dir/one-mib']);
    await emulator.clearFaults();
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /failed verification 5 times/);
    assert.equal(existsSync(target), false);
    const partial = readdirSync(dir).find((file) => file.endsWith('.glacier-partial'));
    if (partial !== undefined) assert.equal(readFileSync(join(dir, partial)).length, 0, 'no unverified bytes kept');
  });

  test('persistent corruption mid-stream: stdout holds only verified segments, exit 1', async () => {
    const archive = archives.get('hundred-mib') as UploadedArchive;
    await emulator.addFault('GetJobOutput:corrupt:skip=3');
    const result = await retrieve(env, ['-o-', 'fast', 'dir/hundred-mib']);
    await emulator.clearFaults();
    assert.equal(result.status, 1, result.stderr);
    assert.ok(result.stdout.length < archive.size);
    assert.equal(result.stdout.length % (8 * MiB), 0, 'whole segments only');
    const original = await emulator.archiveBytes('fast', archive.id);
    assert.ok(result.stdout.equals(original.subarray(0, result.stdout.length)), 'a verified prefix');
  });

  test('dropped connections are retried and the download completes', async () => {
    const archive = archives.get('eight-mib-plus-one') as UploadedArchive;
    // One fault per request, in turn: each kind of failure is met.
    await emulator.addFault('GetJobOutput:reset:count=2');
    await emulator.addFault('GetJobOutput:truncate:count=1:skip=2');
    await emulator.addFault('GetJobOutput:500:count=1:skip=3');
    await emulator.addFault('GetJobOutput:throttle:count=1:skip=4');
    const result = await retrieve(env, ['-o-', '--multipart-size', '2097152', 'fast', 'dir/eight-mib-plus-one']);
    await emulator.clearFaults();
    assert.equal(result.status, 0, result.stderr);
    assert.equal(sha256Hex(result.stdout), archive.sha256);
    assert.match(result.stderr, /: connection (reset|closed by the server); retry 1 of 24 in /);
    assert.match(result.stderr, /: connection closed by the server; retry/);
    assert.match(result.stderr, /: \w+ \(HTTP 500\); retry/);
    assert.match(result.stderr, /: ThrottlingException \(HTTP 400\); retry/);
  });

  test('an interrupted download to a file resumes from the verified segments on disk', async () => {
    const archive = archives.get('hundred-mib') as UploadedArchive;
    const dir = scratch();
    const target = join(dir, 'big.bin');
    const sidecar = join(dir, '.big.bin.glacier-partial.segments');
    await emulator.addFault('GetJobOutput:delay:ms=150');
    const killed = startCli('glacier-retrieve', ['-o', target, '--multipart-size', '1M', 'fast', 'dir/hundred-mib'], { env, timeoutMs: 60_000 });
    // Kill it once a few segments are recorded as verified.
    await waitFor('a few verified segments', () => existsSync(sidecar) && readFileSync(sidecar, 'utf8').split('\n').length > 12);
    await emulator.clearFaults();
    killed.child.kill('SIGKILL');
    const interrupted = await killed.result;
    assert.equal(interrupted.signal, 'SIGKILL');
    assert.equal(existsSync(target), false);
    const verifiedBefore = readFileSync(sidecar, 'utf8').trim().split('\n').length - 1;
    assert.ok(verifiedBefore >= 10, `${verifiedBefore} segments verified before the kill`);

    await emulator.resetRequestCounts();
    const resumed = await retrieve(env, ['-o', target, '--multipart-size', '1M', 'fast', 'dir/hundred-mib']);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stderr, /info: resuming 'dir\/hundred-mib': \d+ of 100 segments already verified on disk/);
    assert.equal(sha256Hex(readFileSync(target)), archive.sha256);
    const fetched = (await emulator.requestCounts()).GetJobOutput ?? 0;
    assert.ok(fetched <= 100 - verifiedBefore, `${fetched} segments fetched after resuming`);
    assert.deepEqual(readdirSync(dir), ['big.bin']);
  });

  test('a partial file whose bytes were damaged on disk is fetched again from there', async () => {
    const archive = archives.get('eight-mib-plus-one') as UploadedArchive;
    const dir = scratch();
    const target = join(dir, 'x.bin');
    await emulator.addFault('GetJobOutput:corrupt:skip=4');
    const broken = await retrieve(env, ['-o', target, '--multipart-size', '1M', 'fast', 'dir/eight-mib-plus-one']);
    await emulator.clearFaults();
    assert.equal(broken.status, 1, broken.stderr);
    const partial = join(dir, '.x.bin.glacier-partial');
    const bytes = readFileSync(partial);
    bytes[10] = (bytes[10] as number) ^ 1;
    writeFileSync(partial, bytes);
    await emulator.resetRequestCounts();
    const resumed = await retrieve(env, ['-o', target, '--multipart-size', '1M', 'fast', 'dir/eight-mib-plus-one']);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.equal(sha256Hex(readFileSync(target)), archive.sha256);
    assert.equal((await emulator.requestCounts()).GetJobOutput, 9, 'segment 0 no longer matched, so everything was fetched again');
  });

  test('SIGTERM during a download to a file: exit 130, saying how to resume', async () => {
    const dir = scratch();
    const target = join(dir, 'x.bin');
    const sidecar = join(dir, '.x.bin.glacier-partial.segments');
    await emulator.addFault('GetJobOutput:delay:ms=300');
    const running = startCli('glacier-retrieve', ['-o', target, '--multipart-size', '1M', 'fast', 'dir/eight-mib-plus-one'], { env, timeoutMs: 60_000 });
    await waitFor('a verified segment', () => existsSync(sidecar) && readFileSync(sidecar, 'utf8').split('\n').length > 2);
    await emulator.clearFaults();
    running.child.kill('SIGTERM');
    const result = await running.result;
    assert.equal(result.status, 130, result.stderr);
    assert.match(result.stderr, /glacier: interrupted; the verified part of 'dir\/eight-mib-plus-one' stays in \S+\.x\.bin\.glacier-partial: run the same command again to resume/);
    assert.equal(existsSync(target), false);
  });

  test('an expedited request refused for lack of capacity is explained at once (exit 1)', async () => {
    const archive = await uploadArchive(env, 'fast', randomData(5), 'capacity');
    await emulator.addFault('InitiateJob:503');
    await emulator.resetRequestCounts();
    const result = await retrieve(env, ['--tier', 'expedited', '-o-', 'fast', `id:${archive.id}`]);
    await emulator.clearFaults();
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /no expedited retrieval capacity right now \(InsufficientCapacityException\); try again later or use --tier standard/);
    assert.equal((await emulator.requestCounts()).InitiateJob, 1);
  });

  test('an id: ref not in the cache works with -o', async () => {
    const archive = archives.get('one-mib') as UploadedArchive;
    const result = await retrieve(clientEnv(emulator, scratch()), ['-o-', 'fast', `id:${archive.id}`]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(sha256Hex(result.stdout), archive.sha256);
  });

  test('an ambiguous name is refused with the id: refs to use', async () => {
    const twin = await uploadArchive(env, 'fast', randomData(10), 'dir/one-byte');
    const dir = scratch();
    await rememberArchives(env, dir, 'fast', [archives.get('one-byte') as UploadedArchive, twin]);
    const result = await retrieve(clientEnv(emulator, dir), ['-o-', 'fast', 'dir/one-byte']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /is held by 2 archives; name one by id: id:\S+ id:\S+/);
  });

  test('an unknown name is not found (exit 1)', async () => {
    const result = await retrieve(env, ['-o-', 'fast', 'nothing-here']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /archive 'nothing-here' not found in vault 'fast'/);
  });

  test('a reader that stops early ends the command quietly', async () => {
    const archive = archives.get('hundred-mib') as UploadedArchive;
    const shell = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "$0" -o- fast id:${archive.id} | head -c 1000 >/dev/null; echo "\${PIPESTATUS[0]}"`, binPath('glacier-retrieve')],
      { env, encoding: 'utf8' },
    );
    assert.equal(shell.stdout.trim(), '141');
    assert.equal(shell.stderr, '');
  });
});
