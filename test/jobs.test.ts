// job list / glacier-jobs and job describe through the real executables and the emulator.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DescribeJobCommand, InitiateJobCommand, type GlacierJobDescription } from '@aws-sdk/client-glacier';
import { runCli, type CliResult } from './helpers/runCli.js';
import { useEmulator } from './helpers/emulatorFixture.js';
import { clientEnv, glacierClient, rememberArchives, sha256Hex, uploadArchive, type UploadedArchive } from './retrieveFixtures.js';
import { randomData } from './helpers/randomData.js';
import { makeScratchDir } from './helpers/scratchDir.js';

describe('job list', () => {
  const emulator = useEmulator({ expeditedDelay: 0, standardDelay: 3600, inventoryDelay: 3600 });
  let env: NodeJS.ProcessEnv;
  const jobs: Record<string, GlacierJobDescription> = {};
  let cached: UploadedArchive;
  let uncached: UploadedArchive;

  async function startJob(vault: string, parameters: { Type: string; ArchiveId?: string; Tier?: string }): Promise<string> {
    const client = glacierClient(env);
    try {
      const started = await client.send(new InitiateJobCommand({ accountId: '-', vaultName: vault, jobParameters: parameters }));
      // The next job is created later: the jobs have an order by creation date.
      await emulator.advanceClock(1);
      return started.jobId as string;
    } finally {
      client.destroy();
    }
  }

  async function describeJob(vault: string, jobId: string): Promise<GlacierJobDescription> {
    const client = glacierClient(env);
    try {
      return await client.send(new DescribeJobCommand({ accountId: '-', vaultName: vault, jobId }));
    } finally {
      client.destroy();
    }
  }

  before(async () => {
    const cacheDir = makeScratchDir('glacier-jobs-test-');
    env = clientEnv(emulator, cacheDir);
    cached = await uploadArchive(env, 'photos', randomData(100), 'img 0001.jpg');
    uncached = await uploadArchive(env, 'photos', randomData(200), 'not cached');
    const other = await uploadArchive(env, 'a-much-longer-vault-name', randomData(300), 'SHA256E-s300--abc');
    await rememberArchives(env, cacheDir, 'photos', [cached]);
    await rememberArchives(env, cacheDir, 'a-much-longer-vault-name', [other]);
    await uploadArchive(env, 'empty-jobs', randomData(1), 'x');

    const done = await startJob('photos', { Type: 'archive-retrieval', ArchiveId: cached.id, Tier: 'Expedited' });
    const pending = await startJob('photos', { Type: 'archive-retrieval', ArchiveId: uncached.id, Tier: 'Standard' });
    const inventory = await startJob('photos', { Type: 'inventory-retrieval' });
    const failed = await startJob('a-much-longer-vault-name', { Type: 'archive-retrieval', ArchiveId: other.id, Tier: 'Standard' });
    await emulator.failJob(failed, 'lost');
    jobs.done = await describeJob('photos', done);
    jobs.pending = await describeJob('photos', pending);
    jobs.inventory = await describeJob('photos', inventory);
    jobs.failed = await describeJob('a-much-longer-vault-name', failed);
  });

  const jobList = (args: string[] = []): Promise<CliResult> => runCli('glacier-jobs', args, { env, timeoutMs: 30_000 });

  test('every vault, oldest first, in the old line format', async () => {
    const result = await jobList();
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.equal(
      result.stdout.toString(),
      [
        `a/d ${jobs.done?.CompletionDate} photos     img 0001.jpg\n`,
        `a/p ${jobs.pending?.CreationDate} photos     id:${uncached.id}\n`,
        `i/p ${jobs.inventory?.CreationDate} photos     \n`,
        `a/e ${jobs.failed?.CompletionDate} a-much-longer-vault-name SHA256E-s300--abc\n`,
      ].join(''),
    );
  });

  test('glacier job list VAULT lists that vault only; the dispatcher form is the same command', async () => {
    const result = await runCli('glacier', ['job', 'list', 'a-much-longer-vault-name'], { env });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.toString(), `a/e ${jobs.failed?.CompletionDate} a-much-longer-vault-name SHA256E-s300--abc\n`);
  });

  test('--json: one object per line', async () => {
    const result = await jobList(['--json', 'photos']);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout
      .toString()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((line) => [line.VaultName, line.JobId, line.StatusCode, line.ArchiveName]),
      [
        ['photos', jobs.done?.JobId, 'Succeeded', 'img 0001.jpg'],
        ['photos', jobs.pending?.JobId, 'InProgress', null],
        ['photos', jobs.inventory?.JobId, 'InProgress', null],
      ],
    );
  });

  test('job describe prints Key: value lines', async () => {
    // A job id may begin with '-' (one in 64): '--' ends the options.
    const result = await runCli('glacier', ['job', 'describe', 'photos', '--', jobs.done?.JobId as string], { env });
    assert.equal(result.status, 0, result.stderr);
    const text = result.stdout.toString();
    assert.match(text, new RegExp(`^JobId: ${jobs.done?.JobId}$`, 'm'));
    assert.match(text, /^StatusCode: Succeeded$/m);
    assert.match(text, new RegExp(`^ArchiveSHA256TreeHash: ${cached.treeHash}$`, 'm'));
    assert.match(text, /^Tier: Expedited$/m);
  });

  test('job describe of an unknown job: exit 1, one line', async () => {
    const result = await runCli('glacier', ['job', 'describe', 'photos', 'nope'], { env });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^glacier: job 'nope' not found in vault 'photos'/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });

  test('an unknown vault: exit 1', async () => {
    const result = await jobList(['no-such-vault']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /vault 'no-such-vault' not found in region us-east-1/);
  });

  test('usage errors exit 2 before any request', async () => {
    await emulator.resetRequestCounts();
    for (const args of [['a', 'b'], ['--frob'], ['bad/vault']]) {
      const result = await jobList(args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    }
    const describeResult = await runCli('glacier', ['job', 'describe', 'photos'], { env });
    assert.equal(describeResult.status, 2);
    assert.deepEqual(await emulator.requestCounts(), {});
  });

  test('all ListJobs pages: 55 jobs listed, and retrieve finds its job on the second page', async () => {
    const many = await uploadArchive(env, 'paged', randomData(1000), 'target');
    const filler = await uploadArchive(env, 'paged', randomData(10), 'filler');
    const client = glacierClient(env);
    try {
      for (let i = 0; i < 54; i++) {
        await client.send(new InitiateJobCommand({ accountId: '-', vaultName: 'paged', jobParameters: { Type: 'archive-retrieval', ArchiveId: filler.id, Tier: 'Standard' } }));
      }
      await emulator.advanceClock(1);
      await client.send(new InitiateJobCommand({ accountId: '-', vaultName: 'paged', jobParameters: { Type: 'archive-retrieval', ArchiveId: many.id, Tier: 'Expedited' } }));
    } finally {
      client.destroy();
    }
    const listed = await jobList(['paged']);
    assert.equal(listed.status, 0, listed.stderr);
    const lines = listed.stdout.toString().trimEnd().split('\n');
    assert.equal(lines.length, 55);
    assert.match(lines[54] as string, new RegExp(`^a/d \\S+ paged      id:${many.id}$`));
    await emulator.resetRequestCounts();
    const retrieved = await runCli('glacier-retrieve', ['-o-', 'paged', `id:${many.id}`], { env });
    assert.equal(retrieved.status, 0, retrieved.stderr);
    assert.equal(sha256Hex(retrieved.stdout), many.sha256);
    const counts = await emulator.requestCounts();
    assert.equal(counts.ListJobs, 2);
    assert.equal(counts.InitiateJob, undefined);
  });
});
