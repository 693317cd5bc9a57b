// The emulator's time and reliability features through the real SDK: job delays and
// expiry on the virtual clock, daily inventories and what follows them, fault injection, request counts,
// restart persistence and seeded vaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateVaultCommand,
  DeleteArchiveCommand,
  DeleteVaultCommand,
  DescribeJobCommand,
  DescribeVaultCommand,
  GetJobOutputCommand,
  GlacierClient,
  InitiateJobCommand,
  ListJobsCommand,
  ListVaultsCommand,
  UploadArchiveCommand,
  type JobParameters,
} from '@aws-sdk/client-glacier';
import { startEmulator, type Emulator } from './helpers/emulator.js';
import { useEmulator } from './helpers/emulatorFixture.js';
import { rejectsWithAwsError } from './helpers/rejectsWithAwsError.js';

const emulator = useEmulator({
  expeditedDelay: 60,
  standardDelay: 4 * 3600,
  bulkDelay: 10 * 3600,
  inventoryDelay: 5 * 3600,
  inventoryInterval: 24 * 3600,
  jobTtl: 24 * 3600,
  faults: ['ListVaults:throttle:count=1'],
});

function clientOf(target: Emulator): GlacierClient {
  return new GlacierClient({
    region: 'us-east-1',
    endpoint: target.endpoint,
    maxAttempts: 1,
    credentials: { accessKeyId: target.env.AWS_ACCESS_KEY_ID, secretAccessKey: target.env.AWS_SECRET_ACCESS_KEY },
  });
}

async function startJob(glacier: GlacierClient, vaultName: string, jobParameters: JobParameters): Promise<string> {
  return (await glacier.send(new InitiateJobCommand({ vaultName, accountId: '-', jobParameters }))).jobId!;
}

async function inventoryIds(glacier: GlacierClient, vaultName: string, jobId: string): Promise<{ date: string; ids: string[] }> {
  const response = await glacier.send(new GetJobOutputCommand({ vaultName, accountId: '-', jobId }));
  const inventory = JSON.parse(await response.body!.transformToString()) as { InventoryDate: string; ArchiveList: Array<{ ArchiveId: string }> };
  return { date: inventory.InventoryDate, ids: inventory.ArchiveList.map((item) => item.ArchiveId) };
}

test('a fault given on the command line fires once', async () => {
  const glacier = clientOf(emulator);
  await rejectsWithAwsError(glacier.send(new ListVaultsCommand({ accountId: '-' })), 'ThrottlingException', 400);
  await glacier.send(new ListVaultsCommand({ accountId: '-' }));
});

test('jobs complete after their tier delay on the virtual clock, then expire after the TTL', async () => {
  const glacier = clientOf(emulator);
  const vaultName = 'life-jobs';
  await glacier.send(new CreateVaultCommand({ vaultName, accountId: '-' }));
  const { archiveId } = await glacier.send(new UploadArchiveCommand({ vaultName, accountId: '-', body: Buffer.from('slow bytes') }));
  const standard = await startJob(glacier, vaultName, { Type: 'archive-retrieval', ArchiveId: archiveId });
  const expedited = await startJob(glacier, vaultName, { Type: 'archive-retrieval', ArchiveId: archiveId, Tier: 'Expedited' });
  const bulk = await startJob(glacier, vaultName, { Type: 'archive-retrieval', ArchiveId: archiveId, Tier: 'Bulk' });

  const pending = await glacier.send(new DescribeJobCommand({ vaultName, accountId: '-', jobId: standard }));
  assert.equal(pending.StatusCode, 'InProgress');
  assert.equal(pending.Completed, false);
  assert.equal(pending.CompletionDate, undefined);
  assert.equal(pending.SHA256TreeHash, undefined);
  assert.equal(pending.Tier, 'Standard');
  await rejectsWithAwsError(glacier.send(new GetJobOutputCommand({ vaultName, accountId: '-', jobId: standard })), 'InvalidParameterValueException', 400);

  await emulator.advanceClock(61);
  const states = async (): Promise<Record<string, string | undefined>> =>
    Object.fromEntries(
      ((await glacier.send(new ListJobsCommand({ vaultName, accountId: '-' }))).JobList ?? []).map((job): [string, string | undefined] => [job.JobId ?? '', job.StatusCode]),
    );
  assert.deepEqual(await states(), { [standard]: 'InProgress', [expedited]: 'Succeeded', [bulk]: 'InProgress' });
  const inProgress = await glacier.send(new ListJobsCommand({ vaultName, accountId: '-', statuscode: 'InProgress' }));
  assert.equal(inProgress.JobList?.length, 2);

  await emulator.advanceClock(4 * 3600);
  const done = await glacier.send(new DescribeJobCommand({ vaultName, accountId: '-', jobId: standard }));
  assert.equal(done.StatusCode, 'Succeeded');
  assert.equal(Date.parse(done.CompletionDate!) - Date.parse(done.CreationDate!), 4 * 3600 * 1000);
  const body = await (await glacier.send(new GetJobOutputCommand({ vaultName, accountId: '-', jobId: standard }))).body!.transformToString();
  assert.equal(body, 'slow bytes');

  // The expedited job completed about 4 h ago; the standard one just now.
  await emulator.advanceClock(20 * 3600);
  await rejectsWithAwsError(glacier.send(new DescribeJobCommand({ vaultName, accountId: '-', jobId: expedited })), 'ResourceNotFoundException', 404);
  assert.deepEqual(await states(), { [standard]: 'Succeeded', [bulk]: 'Succeeded' });
  await emulator.advanceClock(24 * 3600);
  assert.deepEqual(await states(), {});
});

test('inventories are regenerated once a day, only after changes; counts and deletion follow them', async () => {
  const glacier = clientOf(emulator);
  const vaultName = 'life-inventory';
  await glacier.send(new CreateVaultCommand({ vaultName, accountId: '-' }));
  const first = await glacier.send(new UploadArchiveCommand({ vaultName, accountId: '-', body: Buffer.from('one') }));

  // No inventory yet: the job gives the empty vault as created; the counts are zero and
  // the vault, written since, cannot be deleted.
  const beforeFirst = await startJob(glacier, vaultName, { Type: 'inventory-retrieval' });
  const unborn = await glacier.send(new DescribeVaultCommand({ vaultName, accountId: '-' }));
  assert.equal(unborn.NumberOfArchives, 0);
  assert.equal(unborn.LastInventoryDate, undefined);
  await rejectsWithAwsError(glacier.send(new DeleteVaultCommand({ vaultName, accountId: '-' })), 'InvalidParameterValueException', 400, /Vault not empty or recently written to/);
  await emulator.advanceClock(5 * 3600);
  const empty = await inventoryIds(glacier, vaultName, beforeFirst);
  assert.deepEqual(empty.ids, []);
  assert.equal(empty.date, `${unborn.CreationDate!.slice(0, 19)}Z`);

  // Regenerations fall a day apart from the vault's creation: the first one now.
  await emulator.advanceClock(19 * 3600);
  const firstJob = await startJob(glacier, vaultName, { Type: 'inventory-retrieval' });
  const second = await glacier.send(new UploadArchiveCommand({ vaultName, accountId: '-', body: Buffer.from('two') }));
  const staleJob = await startJob(glacier, vaultName, { Type: 'inventory-retrieval' });
  await emulator.advanceClock(5 * 3600);
  const firstInventory = await inventoryIds(glacier, vaultName, firstJob);
  assert.deepEqual(firstInventory.ids, [first.archiveId]);
  assert.deepEqual(await inventoryIds(glacier, vaultName, staleJob), firstInventory);
  const stale = await glacier.send(new DescribeVaultCommand({ vaultName, accountId: '-' }));
  assert.equal(stale.NumberOfArchives, 1);
  assert.equal(`${stale.LastInventoryDate!.slice(0, 19)}Z`, firstInventory.date);

  await emulator.advanceClock(19 * 3600);
  const fresh = await glacier.send(new DescribeVaultCommand({ vaultName, accountId: '-' }));
  assert.equal(fresh.NumberOfArchives, 2);
  assert.equal(fresh.SizeInBytes, 6);
  const freshJob = await startJob(glacier, vaultName, { Type: 'inventory-retrieval' });
  await emulator.advanceClock(5 * 3600);
  const freshInventory = await inventoryIds(glacier, vaultName, freshJob);
  assert.deepEqual(freshInventory.ids, [first.archiveId, second.archiveId]);
  assert.equal(freshInventory.date, `${fresh.LastInventoryDate!.slice(0, 19)}Z`);

  // No change since: the inventory date stays, however long ago.
  await emulator.advanceClock(48 * 3600);
  const unchangedJob = await startJob(glacier, vaultName, { Type: 'inventory-retrieval' });
  await emulator.advanceClock(5 * 3600);
  assert.equal((await inventoryIds(glacier, vaultName, unchangedJob)).date, freshInventory.date);

  // Emptied: still refused until an inventory has seen the vault empty.
  for (const archiveId of [first.archiveId, second.archiveId]) await glacier.send(new DeleteArchiveCommand({ vaultName, accountId: '-', archiveId }));
  await rejectsWithAwsError(glacier.send(new DeleteVaultCommand({ vaultName, accountId: '-' })), 'InvalidParameterValueException', 400, /Vault not empty or recently written to/);
  assert.equal((await glacier.send(new DescribeVaultCommand({ vaultName, accountId: '-' }))).NumberOfArchives, 2);

  // The admin endpoint takes a snapshot at once.
  await glacier.send(new UploadArchiveCommand({ vaultName, accountId: '-', body: Buffer.from('three') }));
  const forced = await emulator.forceInventory(vaultName);
  assert.equal(forced.NumberOfArchives, 1);
  assert.equal((await glacier.send(new DescribeVaultCommand({ vaultName, accountId: '-' }))).NumberOfArchives, 1);
});

test('a vault emptied is deleted once the next daily inventory has seen it empty', async () => {
  const glacier = clientOf(emulator);
  const vaultName = 'life-delete';
  await glacier.send(new CreateVaultCommand({ vaultName, accountId: '-' }));
  const { archiveId } = await glacier.send(new UploadArchiveCommand({ vaultName, accountId: '-', body: Buffer.from('short-lived') }));
  await glacier.send(new DeleteArchiveCommand({ vaultName, accountId: '-', archiveId }));
  await rejectsWithAwsError(glacier.send(new DeleteVaultCommand({ vaultName, accountId: '-' })), 'InvalidParameterValueException', 400, /Vault not empty or recently written to/);
  await emulator.advanceClock(23 * 3600);
  await rejectsWithAwsError(glacier.send(new DeleteVaultCommand({ vaultName, accountId: '-' })), 'InvalidParameterValueException', 400, /Vault not empty or recently written to/);
  await emulator.advanceClock(3600);
  const deleted = await glacier.send(new DeleteVaultCommand({ vaultName, accountId: '-' }));
  assert.equal(deleted.$metadata.httpStatusCode, 204);
});

test('faults: error statuses, delays, skips, resets, truncation and corruption, observed through the SDK', async () => {
  const faulty = await startEmulator({ jobDelay: 0 });
  try {
    const glacier = clientOf(faulty);
    const vaultName = 'life-faults';
    await glacier.send(new CreateVaultCommand({ vaultName, accountId: '-' }));
    const payload = Buffer.alloc(3 * 1024 * 1024 + 11, 0x5a);
    const { archiveId, checksum } = await glacier.send(new UploadArchiveCommand({ vaultName, accountId: '-', body: payload }));
    const jobId = await startJob(glacier, vaultName, { Type: 'archive-retrieval', ArchiveId: archiveId });
    const upload = () => glacier.send(new UploadArchiveCommand({ vaultName, accountId: '-', body: Buffer.from('x') }));
    const describe = () => glacier.send(new DescribeVaultCommand({ vaultName, accountId: '-' }));

    await faulty.addFault('UploadArchive:500:count=2');
    await rejectsWithAwsError(upload(), 'ServiceUnavailableException', 500);
    await rejectsWithAwsError(upload(), 'ServiceUnavailableException', 500);
    await upload();
    await faulty.addFault('UploadArchive:408:count=1');
    await rejectsWithAwsError(upload(), 'RequestTimeoutException', 408);
    await faulty.addFault('DescribeVault:throttle:count=1:skip=1');
    await describe();
    await rejectsWithAwsError(describe(), 'ThrottlingException', 400);
    await describe();
    await faulty.addFault('InitiateJob:503:count=1');
    await rejectsWithAwsError(startJob(glacier, vaultName, { Type: 'inventory-retrieval' }), 'InsufficientCapacityException', 503);
    await faulty.addFault('*:500:p=1');
    await rejectsWithAwsError(describe(), 'ServiceUnavailableException', 500);
    await faulty.clearFaults();
    await describe();

    await faulty.addFault('DescribeVault:delay:ms=300:count=1');
    const started = Date.now();
    await describe();
    assert.ok(Date.now() - started >= 290);

    await faulty.addFault('UploadArchive:reset:count=1');
    await assert.rejects(glacier.send(new UploadArchiveCommand({ vaultName, accountId: '-', body: payload })), (error: Error) => {
      assert.match(`${(error as { code?: string }).code ?? ''} ${error.message}`, /ECONNRESET|EPIPE|socket hang up|aborted/i);
      return true;
    });

    const download = async () => {
      const response = await glacier.send(new GetJobOutputCommand({ vaultName, accountId: '-', jobId }));
      // Read as a Node stream: a body cut short rejects the iteration, where the SDK's
      // collector can wait forever on a response that ended early.
      const chunks: Buffer[] = [];
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
      return { checksum: response.checksum, body: Buffer.concat(chunks) };
    };
    await faulty.addFault('GetJobOutput:corrupt:count=1');
    const corrupted = await download();
    assert.equal(corrupted.checksum, checksum);
    assert.equal(corrupted.body.length, payload.length);
    assert.ok(!corrupted.body.equals(payload));
    for (const kind of ['truncate', 'reset']) {
      await faulty.addFault(`GetJobOutput:${kind}:count=1`);
      await assert.rejects(download());
    }
    assert.ok((await download()).body.equals(payload));

    const counts = await faulty.requestCounts();
    assert.equal(counts['UploadArchive'], 6);
    assert.equal(counts['GetJobOutput'], 4);
    await faulty.resetRequestCounts();
    assert.deepEqual(await faulty.requestCounts(), {});
  } finally {
    await faulty.stop();
  }
});

test('data, jobs and the clock survive a restart on the same data directory', async () => {
  let first = await startEmulator({ jobDelay: 3600 });
  try {
    let glacier = clientOf(first);
    const vaultName = 'life-restart';
    await glacier.send(new CreateVaultCommand({ vaultName, accountId: '-' }));
    const { archiveId } = await glacier.send(new UploadArchiveCommand({ vaultName, accountId: '-', body: Buffer.from('persistent') }));
    const jobId = await startJob(glacier, vaultName, { Type: 'archive-retrieval', ArchiveId: archiveId });
    await first.advanceClock(1800);
    first = await first.restart();
    glacier = clientOf(first);
    assert.equal((await first.archiveBytes(vaultName, archiveId!)).toString(), 'persistent');
    assert.equal((await glacier.send(new DescribeJobCommand({ vaultName, accountId: '-', jobId }))).StatusCode, 'InProgress');
    await first.advanceClock(1800);
    assert.equal((await glacier.send(new DescribeJobCommand({ vaultName, accountId: '-', jobId }))).StatusCode, 'Succeeded');
  } finally {
    await first.stop();
  }
});

test('a seeded vault of 100,000 archives gives its whole inventory, and a seeded archive its byte', async () => {
  const seeded = await startEmulator({ jobDelay: 0 });
  try {
    const glacier = clientOf(seeded);
    await seeded.seed('life-seeded', 100_000, 'file-');
    const jobId = await startJob(glacier, 'life-seeded', { Type: 'inventory-retrieval' });
    const response = await glacier.send(new GetJobOutputCommand({ vaultName: 'life-seeded', accountId: '-', jobId }));
    const inventory = JSON.parse(await response.body!.transformToString()) as { ArchiveList: Array<{ ArchiveId: string; ArchiveDescription: string; Size: number }> };
    assert.equal(inventory.ArchiveList.length, 100_000);
    assert.equal(inventory.ArchiveList[99_999]!.ArchiveDescription, 'file-99999');
    const one = inventory.ArchiveList[12_345]!;
    const retrieval = await startJob(glacier, 'life-seeded', { Type: 'archive-retrieval', ArchiveId: one.ArchiveId });
    const bytes = await (await glacier.send(new GetJobOutputCommand({ vaultName: 'life-seeded', accountId: '-', jobId: retrieval }))).body!.transformToByteArray();
    assert.deepEqual([...bytes], [0]);
  } finally {
    await seeded.stop();
  }
});
