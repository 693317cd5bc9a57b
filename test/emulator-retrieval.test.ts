// Retrieval through the emulator with the real SDK: a multipart archive above 64 MiB
// downloaded in ranges whose x-amz-sha256-tree-hash headers are checked against tree
// hashes computed with @noble/hashes; ranged jobs; inventories; job listings.
import { test, before } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import {
  CompleteMultipartUploadCommand,
  CreateVaultCommand,
  DeleteArchiveCommand,
  DescribeJobCommand,
  DescribeVaultCommand,
  GetJobOutputCommand,
  type GlacierClient,
  InitiateJobCommand,
  InitiateMultipartUploadCommand,
  ListJobsCommand,
  UploadArchiveCommand,
  UploadMultipartPartCommand,
  type JobParameters,
} from '@aws-sdk/client-glacier';
import { sdkClientFor } from './helpers/emulator.js';
import { emulatorStarted, useEmulator } from './helpers/emulatorFixture.js';
import { rejectsWithAwsError } from './helpers/rejectsWithAwsError.js';
import { oracleTreeHash } from './helpers/oracleTreeHash.js';

const MiB = 1024 * 1024;
const emulator = useEmulator({ jobDelay: 0 });
let glacier: GlacierClient;

before(async () => {
  await emulatorStarted(emulator);
  glacier = sdkClientFor(emulator);
});

function patterned(size: number, seed: number): Buffer {
  const data = Buffer.alloc(size);
  let state = seed;
  for (let i = 0; i < size; i += 4) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data.writeUInt32LE(state, i <= size - 4 ? i : size - 4);
  }
  return data;
}

async function startJob(vaultName: string, jobParameters: JobParameters): Promise<string> {
  const started = await glacier.send(new InitiateJobCommand({ vaultName, accountId: '-', jobParameters }));
  assert.equal(started.$metadata.httpStatusCode, 202);
  assert.equal(started.location, `/${emulator.accountId}/vaults/${vaultName}/jobs/${started.jobId}`);
  return started.jobId!;
}

async function output(vaultName: string, jobId: string, range?: string) {
  const response = await glacier.send(new GetJobOutputCommand({ vaultName, accountId: '-', jobId, range }));
  const body = Buffer.from(await response.body!.transformToByteArray());
  return { response, body };
}

test('a 65 MiB + 123 byte multipart archive comes back in aligned ranges whose tree hashes match the oracle', async () => {
  const vaultName = 'retrieval-big';
  await glacier.send(new CreateVaultCommand({ vaultName, accountId: '-' }));
  const size = 65 * MiB + 123;
  const data = patterned(size, 42);
  const partSize = 8 * MiB;
  const { uploadId } = await glacier.send(new InitiateMultipartUploadCommand({ vaultName, accountId: '-', partSize: String(partSize), archiveDescription: 'big' }));
  const starts: number[] = [];
  for (let start = 0; start < size; start += partSize) starts.push(start);
  await Promise.all(
    starts.map(async (start) => {
      const body = data.subarray(start, Math.min(start + partSize, size));
      const sent = await glacier.send(new UploadMultipartPartCommand({ vaultName, accountId: '-', uploadId, range: `bytes ${start}-${start + body.length - 1}/*`, body }));
      assert.equal(sent.checksum, oracleTreeHash(body));
    }),
  );
  const wholeHash = oracleTreeHash(data);
  const completed = await glacier.send(new CompleteMultipartUploadCommand({ vaultName, accountId: '-', uploadId, archiveSize: String(size), checksum: wholeHash }));
  assert.equal(completed.checksum, wholeHash);
  const archiveId = completed.archiveId!;

  const jobId = await startJob(vaultName, { Type: 'archive-retrieval', ArchiveId: archiveId, Tier: 'Expedited' });
  const described = await glacier.send(new DescribeJobCommand({ vaultName, accountId: '-', jobId }));
  assert.equal(described.StatusCode, 'Succeeded');
  assert.equal(described.Completed, true);
  assert.equal(described.ArchiveSizeInBytes, size);
  assert.equal(described.ArchiveSHA256TreeHash, wholeHash);
  assert.equal(described.SHA256TreeHash, wholeHash);
  assert.equal(described.RetrievalByteRange, `0-${size - 1}`);
  assert.equal(described.Tier, 'Expedited');
  assert.equal(described.Action, 'ArchiveRetrieval');

  // 8 MiB segments at multiples of 8 MiB, the short last one included: each has a hash.
  const pieces: Buffer[] = [];
  for (let start = 0; start < size; start += 8 * MiB) {
    const end = Math.min(start + 8 * MiB, size);
    const { response, body } = await output(vaultName, jobId, `bytes=${start}-${end - 1}`);
    assert.equal(response.status, 206);
    assert.equal(response.contentRange, `bytes ${start}-${end - 1}/${size}`);
    assert.equal(response.contentType, 'application/octet-stream');
    assert.equal(body.length, end - start);
    assert.equal(response.checksum, oracleTreeHash(data.subarray(start, end)));
    pieces.push(body);
  }
  assert.ok(Buffer.concat(pieces).equals(data));
  // 64 MiB at 0 is a node of the tree too; so is the lone last MiB.
  const first64 = await output(vaultName, jobId, `bytes=0-${64 * MiB - 1}`);
  assert.equal(first64.response.checksum, oracleTreeHash(data.subarray(0, 64 * MiB)));
  const tail = await output(vaultName, jobId, `bytes=${64 * MiB}-${size - 1}`);
  assert.equal(tail.response.checksum, oracleTreeHash(data.subarray(64 * MiB)));
  // Unaligned: no hash, but the right bytes.
  const unaligned = await output(vaultName, jobId, `bytes=${MiB}-${3 * MiB - 1}`);
  assert.equal(unaligned.response.status, 206);
  assert.equal(unaligned.response.checksum, undefined);
  assert.ok(unaligned.body.equals(data.subarray(MiB, 3 * MiB)));
  const odd = await output(vaultName, jobId, 'bytes=100-199');
  assert.equal(odd.response.checksum, undefined);
  assert.ok(odd.body.equals(data.subarray(100, 200)));
  const whole = await output(vaultName, jobId);
  assert.equal(whole.response.status, 200);
  assert.equal(whole.response.checksum, wholeHash);
  assert.ok(whole.body.equals(data));

  // A tree-hash aligned retrieval range: its hash in DescribeJob, ranges relative to it.
  const alignedJob = await startJob(vaultName, { Type: 'archive-retrieval', ArchiveId: archiveId, RetrievalByteRange: `${16 * MiB}-${32 * MiB - 1}` });
  const alignedDescription = await glacier.send(new DescribeJobCommand({ vaultName, accountId: '-', jobId: alignedJob }));
  assert.equal(alignedDescription.SHA256TreeHash, oracleTreeHash(data.subarray(16 * MiB, 32 * MiB)));
  assert.equal(alignedDescription.RetrievalByteRange, `${16 * MiB}-${32 * MiB - 1}`);
  const sub = await output(vaultName, alignedJob, `bytes=${4 * MiB}-${8 * MiB - 1}`);
  assert.equal(sub.response.checksum, oracleTreeHash(data.subarray(20 * MiB, 24 * MiB)));
  assert.ok(sub.body.equals(data.subarray(20 * MiB, 24 * MiB)));
  const alignedWhole = await output(vaultName, alignedJob);
  assert.equal(alignedWhole.body.length, 16 * MiB);
  assert.equal(alignedWhole.response.checksum, alignedDescription.SHA256TreeHash);

  // Megabyte aligned but not tree-hash aligned: bytes yes, hashes no.
  const looseJob = await startJob(vaultName, { Type: 'archive-retrieval', ArchiveId: archiveId, RetrievalByteRange: `${8 * MiB}-${24 * MiB - 1}` });
  const looseDescription = await glacier.send(new DescribeJobCommand({ vaultName, accountId: '-', jobId: looseJob }));
  assert.equal(looseDescription.SHA256TreeHash, undefined);
  const loose = await output(vaultName, looseJob);
  assert.equal(loose.response.checksum, undefined);
  assert.ok(loose.body.equals(data.subarray(8 * MiB, 24 * MiB)));
  // The range ending at the end of the archive may end off a MiB boundary.
  const tailJob = await startJob(vaultName, { Type: 'archive-retrieval', ArchiveId: archiveId, RetrievalByteRange: `${64 * MiB}-${size - 1}` });
  const tailOutput = await output(vaultName, tailJob);
  assert.equal(tailOutput.response.checksum, oracleTreeHash(data.subarray(64 * MiB)));

  for (const range of ['1-1048576', `0-${MiB}`, `0-${size}`, 'abc', `${2 * MiB}-${MiB - 1}`]) {
    await rejectsWithAwsError(
      glacier.send(new InitiateJobCommand({ vaultName, accountId: '-', jobParameters: { Type: 'archive-retrieval', ArchiveId: archiveId, RetrievalByteRange: range } })),
      'InvalidParameterValueException',
      400,
    );
  }
  await rejectsWithAwsError(
    glacier.send(new InitiateJobCommand({ vaultName, accountId: '-', jobParameters: { Type: 'archive-retrieval', ArchiveId: archiveId, Tier: 'Fast' } })),
    'InvalidParameterValueException',
    400,
  );
});

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

test('inventory bytes are exactly as AWS writes them: whole-second dates, every CSV description quoted', async () => {
  const vaultName = 'retrieval-fixture';
  await glacier.send(new CreateVaultCommand({ vaultName, accountId: '-' }));
  const descriptions = ['plain', '', 'with,comma', 'with "quotes"', 'back\\slash'];
  for (const [i, archiveDescription] of descriptions.entries()) {
    await glacier.send(new UploadArchiveCommand({ vaultName, accountId: '-', body: Buffer.alloc(i + 1, 0x61 + i), archiveDescription }));
  }
  const jsonJob = await startJob(vaultName, { Type: 'inventory-retrieval' });
  const csvJob = await startJob(vaultName, { Type: 'inventory-retrieval', Format: 'CSV' });
  const lastInventory = (await glacier.send(new DescribeVaultCommand({ vaultName, accountId: '-' }))).LastInventoryDate!;
  const archives = await emulator.listArchives(vaultName);
  const seconds = (iso: string): string => `${iso.slice(0, 19)}Z`;
  const expected = (fixture: string): string => {
    let text = readFileSync(join(FIXTURES, fixture), 'utf8').replace('{INVENTORY_DATE}', seconds(lastInventory));
    for (const [i, item] of archives.entries()) {
      text = text.replace(`{ARCHIVE_ID_${i}}`, item.ArchiveId).replace(`{CREATION_DATE_${i}}`, seconds(item.CreationDate));
    }
    return text;
  };
  assert.equal(archives.length, descriptions.length);
  assert.equal((await output(vaultName, jsonJob)).body.toString(), expected('inventory.json'));
  assert.equal((await output(vaultName, csvJob)).body.toString(), expected('inventory.csv'));
});

test('inventories: JSON and CSV, date filters, Limit and Marker paging', async () => {
  const vaultName = 'retrieval-inventory';
  await glacier.send(new CreateVaultCommand({ vaultName, accountId: '-' }));
  const descriptions = ['plain', 'with,comma', 'with "quotes"', 'back\\slash'];
  const ids: string[] = [];
  for (const archiveDescription of descriptions) {
    const uploaded = await glacier.send(new UploadArchiveCommand({ vaultName, accountId: '-', body: Buffer.from(archiveDescription), archiveDescription }));
    ids.push(uploaded.archiveId!);
  }

  const jsonJob = await startJob(vaultName, { Type: 'inventory-retrieval' });
  const jsonDescription = await glacier.send(new DescribeJobCommand({ vaultName, accountId: '-', jobId: jsonJob }));
  assert.equal(jsonDescription.Action, 'InventoryRetrieval');
  assert.equal(jsonDescription.SHA256TreeHash, undefined);
  assert.equal(jsonDescription.ArchiveId, undefined);
  assert.equal(jsonDescription.InventoryRetrievalParameters?.Format, 'JSON');
  const json = await output(vaultName, jsonJob);
  assert.equal(json.response.contentType, 'application/json');
  assert.equal(json.response.checksum, undefined);
  assert.equal(jsonDescription.InventorySizeInBytes, json.body.length);
  const inventory = JSON.parse(json.body.toString()) as {
    VaultARN: string;
    InventoryDate: string;
    ArchiveList: Array<{ ArchiveId: string; ArchiveDescription: string; CreationDate: string; Size: number; SHA256TreeHash: string }>;
  };
  assert.deepEqual(Object.keys(inventory), ['VaultARN', 'InventoryDate', 'ArchiveList']);
  assert.equal(inventory.VaultARN, `arn:aws:glacier:us-east-1:${emulator.accountId}:vaults/${vaultName}`);
  assert.deepEqual(
    inventory.ArchiveList.map((item) => item.ArchiveId),
    ids,
  );
  assert.deepEqual(
    inventory.ArchiveList.map((item) => item.ArchiveDescription),
    descriptions,
  );
  assert.deepEqual(Object.keys(inventory.ArchiveList[0]!), ['ArchiveId', 'ArchiveDescription', 'CreationDate', 'Size', 'SHA256TreeHash']);
  assert.equal(inventory.ArchiveList[1]!.SHA256TreeHash, oracleTreeHash(Buffer.from('with,comma')));
  assert.equal(inventory.ArchiveList[1]!.Size, 'with,comma'.length);

  const csvJob = await startJob(vaultName, { Type: 'inventory-retrieval', Format: 'CSV' });
  const csv = await output(vaultName, csvJob);
  assert.equal(csv.response.contentType, 'text/csv');
  const lines = csv.body.toString().trimEnd().split('\n');
  assert.equal(lines[0], 'ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash');
  assert.equal(lines.length, 5);
  assert.ok(lines[1]!.startsWith(`${ids[0]},"plain",`));
  assert.ok(lines[2]!.startsWith(`${ids[1]},"with,comma",`));
  assert.ok(lines[3]!.startsWith(`${ids[2]},"with \\"quotes\\"",`));
  assert.ok(lines[4]!.startsWith(`${ids[3]},"back\\slash",`));

  // Paging: Limit 3, then the Marker DescribeJob gives.
  const firstPage = await startJob(vaultName, { Type: 'inventory-retrieval', InventoryRetrievalParameters: { Limit: '3' } });
  const firstItems = (JSON.parse((await output(vaultName, firstPage)).body.toString()) as typeof inventory).ArchiveList;
  assert.deepEqual(
    firstItems.map((item) => item.ArchiveId),
    ids.slice(0, 3),
  );
  const marker = (await glacier.send(new DescribeJobCommand({ vaultName, accountId: '-', jobId: firstPage }))).InventoryRetrievalParameters?.Marker;
  assert.equal(typeof marker, 'string');
  const secondPage = await startJob(vaultName, { Type: 'inventory-retrieval', InventoryRetrievalParameters: { Limit: '3', Marker: marker } });
  const secondItems = (JSON.parse((await output(vaultName, secondPage)).body.toString()) as typeof inventory).ArchiveList;
  assert.deepEqual(
    secondItems.map((item) => item.ArchiveId),
    ids.slice(3),
  );
  const secondDescription = await glacier.send(new DescribeJobCommand({ vaultName, accountId: '-', jobId: secondPage }));
  assert.equal(secondDescription.InventoryRetrievalParameters?.Marker, undefined);
  assert.equal(secondDescription.InventoryRetrievalParameters?.Limit, '3');

  // Dates: EndDate is exclusive, StartDate inclusive.
  const created = inventory.ArchiveList[0]!.CreationDate;
  const before = await startJob(vaultName, { Type: 'inventory-retrieval', InventoryRetrievalParameters: { EndDate: '2000-01-01T00:00:00Z' } });
  assert.deepEqual((JSON.parse((await output(vaultName, before)).body.toString()) as typeof inventory).ArchiveList, []);
  const since = await startJob(vaultName, { Type: 'inventory-retrieval', InventoryRetrievalParameters: { StartDate: created } });
  assert.equal((JSON.parse((await output(vaultName, since)).body.toString()) as typeof inventory).ArchiveList.length, 4);

  // Ranged download of an inventory: 206, no tree hash.
  const part = await output(vaultName, jsonJob, 'bytes=0-9');
  assert.equal(part.response.status, 206);
  assert.equal(part.body.toString(), json.body.subarray(0, 10).toString());

  for (const jobParameters of [
    { Type: 'inventory-retrieval', Format: 'XML' },
    { Type: 'inventory-retrieval', ArchiveId: ids[0] },
    { Type: 'inventory-retrieval', InventoryRetrievalParameters: { Limit: '0' } },
    { Type: 'inventory-retrieval', InventoryRetrievalParameters: { StartDate: 'yesterday' } },
    { Type: 'inventory-retrieval', InventoryRetrievalParameters: { Marker: 'not-a-marker' } },
    { Type: 'select' },
  ]) {
    await rejectsWithAwsError(glacier.send(new InitiateJobCommand({ vaultName, accountId: '-', jobParameters })), 'InvalidParameterValueException', 400);
  }
});

test('job listings: paging, completed and statuscode filters; failed jobs; jobs on deleted archives', async () => {
  const vaultName = 'retrieval-jobs';
  await glacier.send(new CreateVaultCommand({ vaultName, accountId: '-' }));
  const kept = await glacier.send(new UploadArchiveCommand({ vaultName, accountId: '-', body: Buffer.from('kept') }));
  const doomed = await glacier.send(new UploadArchiveCommand({ vaultName, accountId: '-', body: Buffer.from('doomed') }));
  const jobIds: string[] = [];
  for (let i = 0; i < 4; i++) jobIds.push(await startJob(vaultName, { Type: 'archive-retrieval', ArchiveId: kept.archiveId, Description: `job ${i}` }));

  await emulator.failJob(jobIds[1]!, 'made to fail');
  const failed = await glacier.send(new DescribeJobCommand({ vaultName, accountId: '-', jobId: jobIds[1] }));
  assert.equal(failed.StatusCode, 'Failed');
  assert.equal(failed.StatusMessage, 'made to fail');
  assert.equal(failed.Completed, true);
  assert.equal(failed.JobDescription, 'job 1');
  await rejectsWithAwsError(output(vaultName, jobIds[1]!), 'InvalidParameterValueException', 400);

  const listed: string[] = [];
  let marker: string | undefined;
  do {
    const page = await glacier.send(new ListJobsCommand({ vaultName, accountId: '-', limit: 3, marker }));
    assert.ok((page.JobList ?? []).length <= 3);
    listed.push(...(page.JobList ?? []).map((job) => job.JobId!));
    marker = page.Marker ?? undefined;
  } while (marker !== undefined);
  assert.deepEqual(listed, jobIds);

  const failedOnly = await glacier.send(new ListJobsCommand({ vaultName, accountId: '-', statuscode: 'Failed' }));
  assert.deepEqual(
    failedOnly.JobList?.map((job) => job.JobId),
    [jobIds[1]],
  );
  const succeeded = await glacier.send(new ListJobsCommand({ vaultName, accountId: '-', statuscode: 'Succeeded', completed: 'true' }));
  assert.equal(succeeded.JobList?.length, 3);
  const pending = await glacier.send(new ListJobsCommand({ vaultName, accountId: '-', completed: 'false' }));
  assert.equal(pending.JobList?.length, 0);
  await rejectsWithAwsError(
    glacier.send(new ListJobsCommand({ vaultName, accountId: '-', statuscode: 'finished' })),
    'InvalidParameterValueException',
    400,
    /The job status code is not valid: finished/,
  );
  await rejectsWithAwsError(
    glacier.send(new DescribeJobCommand({ vaultName, accountId: '-', jobId: 'no-such-job' })),
    'ResourceNotFoundException',
    404,
    /The job ID was not found/,
  );

  // Output of a job completed before the archive was deleted stays downloadable.
  const early = await startJob(vaultName, { Type: 'archive-retrieval', ArchiveId: doomed.archiveId });
  await glacier.send(new DeleteArchiveCommand({ vaultName, accountId: '-', archiveId: doomed.archiveId }));
  assert.equal((await output(vaultName, early)).body.toString(), 'doomed');
  // A retrieval started after the deletion is accepted and fails.
  const late = await startJob(vaultName, { Type: 'archive-retrieval', ArchiveId: doomed.archiveId });
  const lateDescription = await glacier.send(new DescribeJobCommand({ vaultName, accountId: '-', jobId: late }));
  assert.equal(lateDescription.StatusCode, 'Failed');
  await rejectsWithAwsError(
    glacier.send(new InitiateJobCommand({ vaultName, accountId: '-', jobParameters: { Type: 'archive-retrieval', ArchiveId: `${'Q'.repeat(137)}x` } })),
    'ResourceNotFoundException',
    404,
  );
});
