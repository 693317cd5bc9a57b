// The emulator's account-wide operations and Glacier's stricter checks, through the real
// @aws-sdk/client-glacier: data retrieval policies enforced on InitiateJob, provisioned
// capacity for Expedited retrievals, select jobs refused, SigV4 dates against the real
// clock, archive ids of another vault, GetJobOutput and InitiateJob answers, list limits,
// unknown paths, and every one of the 33 operations reaching the emulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import * as sdk from '@aws-sdk/client-glacier';
import {
  CreateVaultCommand,
  DeleteArchiveCommand,
  GetDataRetrievalPolicyCommand,
  GetJobOutputCommand,
  type GlacierClient,
  InitiateJobCommand,
  InitiateMultipartUploadCommand,
  ListJobsCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  ListProvisionedCapacityCommand,
  ListVaultsCommand,
  PurchaseProvisionedCapacityCommand,
  SetDataRetrievalPolicyCommand,
  UploadArchiveCommand,
  type DataRetrievalRule,
  type JobParameters,
} from '@aws-sdk/client-glacier';
import { sdkClientFor, startEmulator } from './helpers/emulator.js';
import { useEmulator } from './helpers/emulatorFixture.js';
import { rejectsWithAwsError } from './helpers/rejectsWithAwsError.js';

const MiB = 1024 * 1024;
const HOUR = 3600;
const DAY = 24 * HOUR;
const emulator = useEmulator({ jobDelay: 0, freeTierBytes: 5 * MiB });

const client = sdkClientFor;

async function vaultWithArchive(glacier: GlacierClient, vaultName: string, size: number, archiveDescription?: string): Promise<string> {
  await glacier.send(new CreateVaultCommand({ vaultName, accountId: '-' }));
  const body = Buffer.alloc(size, 0x61);
  return (await glacier.send(new UploadArchiveCommand({ vaultName, accountId: '-', body, archiveDescription }))).archiveId!;
}

function retrieve(glacier: GlacierClient, vaultName: string, jobParameters: JobParameters) {
  return glacier.send(new InitiateJobCommand({ vaultName, accountId: '-', jobParameters }));
}

test('data retrieval policy: None by default; BytesPerHour and FreeTier enforced on InitiateJob; bad policies refused', async () => {
  const glacier = client(emulator, { region: 'eu-west-1' });
  const archiveId = await vaultWithArchive(glacier, 'account-policy', 3 * MiB);
  const policyOf = async () => (await glacier.send(new GetDataRetrievalPolicyCommand({ accountId: '-' }))).Policy?.Rules;
  const setRules = (Rules: DataRetrievalRule[]) => glacier.send(new SetDataRetrievalPolicyCommand({ accountId: '-', Policy: { Rules } }));
  const job = (range?: string) => retrieve(glacier, 'account-policy', { Type: 'archive-retrieval', ArchiveId: archiveId, RetrievalByteRange: range });
  assert.deepEqual(await policyOf(), [{ Strategy: 'None' }]);

  // 1 MiB an hour: each retrieval counts as spread over 4 hours.
  assert.equal((await setRules([{ Strategy: 'BytesPerHour', BytesPerHour: MiB }])).$metadata.httpStatusCode, 204);
  assert.deepEqual(await policyOf(), [{ Strategy: 'BytesPerHour', BytesPerHour: MiB }]);
  await job();
  await job(`0-${MiB - 1}`);
  await rejectsWithAwsError(job(), 'PolicyEnforcedException', 400, /data retrieval policy/);
  await rejectsWithAwsError(job(`0-${MiB - 1}`), 'PolicyEnforcedException', 400);
  // Inventories are not retrievals of data.
  await retrieve(glacier, 'account-policy', { Type: 'inventory-retrieval' });
  await emulator.advanceClock(4 * HOUR);
  await job();

  // FreeTier: 5 MiB a day here (--free-tier-bytes), counted per UTC day.
  await setRules([{ Strategy: 'FreeTier' }]);
  const untilMidnight = DAY - (Date.parse((JSON.parse((await emulator.admin('GET', 'clock')).body.toString()) as { now: string }).now) % (DAY * 1000)) / 1000;
  await emulator.advanceClock(untilMidnight + 60);
  await job();
  await rejectsWithAwsError(job(), 'PolicyEnforcedException', 400);
  await job(`0-${2 * MiB - 1}`);
  await rejectsWithAwsError(job(`0-${MiB - 1}`), 'PolicyEnforcedException', 400);
  await emulator.advanceClock(DAY);
  await job();

  await setRules([{ Strategy: 'None' }]);
  for (let i = 0; i < 5; i++) await job();

  for (const rules of [[{ Strategy: 'Bogus' }], [{ Strategy: 'BytesPerHour' }], [{ Strategy: 'BytesPerHour', BytesPerHour: 0 }], [{ Strategy: 'FreeTier', BytesPerHour: 5 }], []]) {
    await rejectsWithAwsError(setRules(rules as DataRetrievalRule[]), 'InvalidParameterValueException', 400);
  }
  assert.deepEqual(await policyOf(), [{ Strategy: 'None' }]);
  // Regions have their own policy.
  assert.deepEqual((await client(emulator).send(new GetDataRetrievalPolicyCommand({ accountId: '-' }))).Policy?.Rules, [{ Strategy: 'None' }]);
});

test('provisioned capacity: Expedited needs it under --expedited-needs-capacity; at most two units, each for a month', async () => {
  const strict = await startEmulator({ jobDelay: 0, expeditedNeedsCapacity: true });
  try {
    const glacier = client(strict);
    const archiveId = await vaultWithArchive(glacier, 'account-capacity', 10);
    const expedited = () => retrieve(glacier, 'account-capacity', { Type: 'archive-retrieval', ArchiveId: archiveId, Tier: 'Expedited' });
    await rejectsWithAwsError(expedited(), 'InsufficientCapacityException', 503, /capacity/);
    await retrieve(glacier, 'account-capacity', { Type: 'archive-retrieval', ArchiveId: archiveId, Tier: 'Standard' });
    assert.deepEqual((await glacier.send(new ListProvisionedCapacityCommand({ accountId: '-' }))).ProvisionedCapacityList, []);

    const bought = await glacier.send(new PurchaseProvisionedCapacityCommand({ accountId: '-' }));
    assert.equal(bought.$metadata.httpStatusCode, 201);
    assert.match(bought.capacityId ?? '', /^[A-Za-z0-9_-]+$/);
    const [unit] = (await glacier.send(new ListProvisionedCapacityCommand({ accountId: '-' }))).ProvisionedCapacityList ?? [];
    assert.equal(unit?.CapacityId, bought.capacityId);
    const start = new Date(unit!.StartDate!);
    const end = new Date(unit!.ExpirationDate!);
    assert.equal((end.getUTCMonth() - start.getUTCMonth() + 12) % 12, 1);
    assert.equal((await expedited()).$metadata.httpStatusCode, 202);

    await glacier.send(new PurchaseProvisionedCapacityCommand({ accountId: '-' }));
    await rejectsWithAwsError(glacier.send(new PurchaseProvisionedCapacityCommand({ accountId: '-' })), 'LimitExceededException', 400);
    await strict.advanceClock(32 * DAY);
    assert.deepEqual((await glacier.send(new ListProvisionedCapacityCommand({ accountId: '-' }))).ProvisionedCapacityList, []);
    await rejectsWithAwsError(expedited(), 'InsufficientCapacityException', 503);
  } finally {
    await strict.stop();
  }
  // Without the flag, Expedited needs no capacity (the default).
  const glacier = client(emulator);
  const archiveId = await vaultWithArchive(glacier, 'account-no-capacity', 10);
  await retrieve(glacier, 'account-no-capacity', { Type: 'archive-retrieval', ArchiveId: archiveId, Tier: 'Expedited' });
});

test('select jobs are refused with an AWS-shaped error', async () => {
  const glacier = client(emulator);
  const archiveId = await vaultWithArchive(glacier, 'account-select', 10);
  const select: JobParameters = {
    Type: 'select',
    ArchiveId: archiveId,
    SelectParameters: { Expression: 'select * from archive', ExpressionType: 'SQL', InputSerialization: { csv: {} }, OutputSerialization: { csv: {} } },
    OutputLocation: { S3: { BucketName: 'results', Prefix: 'out' } },
  };
  await rejectsWithAwsError(retrieve(glacier, 'account-select', select), 'InvalidParameterValueException', 400, /Glacier Select is not available/);
  await rejectsWithAwsError(
    retrieve(glacier, 'account-select', { Type: 'archive-retrieval', ArchiveId: archiveId, OutputLocation: select.OutputLocation }),
    'InvalidParameterValueException',
    400,
    /Select/,
  );
});

test('SigV4 dates are checked against the real clock: 5 minutes either way', async () => {
  const list = (offsetMs: number) => client(emulator, { systemClockOffset: offsetMs }).send(new ListVaultsCommand({ accountId: '-' }));
  await rejectsWithAwsError(
    list(-6 * 60 * 1000),
    'InvalidSignatureException',
    403,
    /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
  );
  await rejectsWithAwsError(
    list(6 * 60 * 1000),
    'InvalidSignatureException',
    403,
    /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/,
  );
  await list(-4 * 60 * 1000);
  await list(4 * 60 * 1000);
  // The virtual clock moves jobs, not signatures.
  await emulator.advanceClock(3 * DAY);
  await list(0);
});

test('an archive id of another vault gets 400 InvalidParameterValueException, an unknown one 404', async () => {
  const glacier = client(emulator);
  const archiveId = await vaultWithArchive(glacier, 'account-owner', 10);
  await glacier.send(new CreateVaultCommand({ vaultName: 'account-stranger', accountId: '-' }));
  const strangerArn = `arn:aws:glacier:us-east-1:${emulator.accountId}:vaults/account-stranger`;
  const invalidVault = new RegExp(`^Invalid vault name: ${strangerArn}$`);
  await rejectsWithAwsError(
    glacier.send(new DeleteArchiveCommand({ vaultName: 'account-stranger', accountId: '-', archiveId })),
    'InvalidParameterValueException',
    400,
    invalidVault,
  );
  await rejectsWithAwsError(retrieve(glacier, 'account-stranger', { Type: 'archive-retrieval', ArchiveId: archiveId }), 'InvalidParameterValueException', 400, invalidVault);
  const unknown = `${'A'.repeat(137)}B`;
  await rejectsWithAwsError(glacier.send(new DeleteArchiveCommand({ vaultName: 'account-stranger', accountId: '-', archiveId: unknown })), 'ResourceNotFoundException', 404);
  assert.equal((await emulator.listArchives('account-owner')).length, 1);
});

test('InitiateJob answers 202 with no body; GetJobOutput sends Accept-Ranges and the archive description', async () => {
  const glacier = client(emulator);
  const archiveId = await vaultWithArchive(glacier, 'account-headers', 100, 'nightly backup');
  const command = new InitiateJobCommand({ vaultName: 'account-headers', accountId: '-', jobParameters: { Type: 'archive-retrieval', ArchiveId: archiveId } });
  let rawHeaders: Record<string, string> = {};
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      rawHeaders = (result.response as { headers: Record<string, string> }).headers;
      return result;
    },
    { step: 'deserialize', name: 'captureHeaders' },
  );
  const started = await glacier.send(command);
  assert.equal(started.$metadata.httpStatusCode, 202);
  assert.equal(rawHeaders['content-length'], '0');
  assert.equal(rawHeaders['content-type'], undefined);

  const output = await glacier.send(new GetJobOutputCommand({ vaultName: 'account-headers', accountId: '-', jobId: started.jobId }));
  assert.equal(output.acceptRanges, 'bytes');
  assert.equal(output.archiveDescription, 'nightly backup');
  assert.equal((await output.body!.transformToByteArray()).length, 100);
});

test('list limits as the developer guide states: vaults 1-10, jobs, parts and uploads 1-50', async () => {
  const glacier = client(emulator);
  const vaultName = 'account-limits';
  await glacier.send(new CreateVaultCommand({ vaultName, accountId: '-' }));
  const { uploadId } = await glacier.send(new InitiateMultipartUploadCommand({ vaultName, accountId: '-', partSize: String(MiB) }));
  const lists: Array<[(limit: number) => Promise<unknown>, number]> = [
    [(limit) => glacier.send(new ListVaultsCommand({ accountId: '-', limit })), 10],
    [(limit) => glacier.send(new ListJobsCommand({ vaultName, accountId: '-', limit })), 50],
    [(limit) => glacier.send(new ListPartsCommand({ vaultName, accountId: '-', uploadId, limit })), 50],
    [(limit) => glacier.send(new ListMultipartUploadsCommand({ vaultName, accountId: '-', limit })), 50],
  ];
  for (const [list, maximum] of lists) {
    await list(1);
    await list(maximum);
    await rejectsWithAwsError(list(maximum + 1), 'InvalidParameterValueException', 400, /limit/);
    await rejectsWithAwsError(list(0), 'InvalidParameterValueException', 400, /limit/);
  }
});

test('a path that is no Glacier operation gets an AWS-shaped error with a modelled code', async () => {
  const answer = await new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const outgoing = request(`${emulator.endpoint}/-/vaults/v/nonsense`, { method: 'GET', headers: { 'x-amz-glacier-version': '2012-06-01' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
  assert.equal(answer.status, 400);
  assert.equal(answer.body['code'], 'InvalidParameterValueException');
  assert.equal(answer.body['type'], 'Client');
  assert.match(String(answer.body['message']), /No Glacier operation for GET \/-\/vaults\/v\/nonsense/);
});

test('the SDK has 33 Glacier commands and the emulator has served each of them', async () => {
  const fresh = await startEmulator({ jobDelay: 0 });
  try {
    const glacier = client(fresh);
    const v = { vaultName: 'account-all', accountId: '-' };
    const policy = { Policy: JSON.stringify({ Statement: [{ Principal: '*', Effect: 'Deny', Action: 'glacier:UploadArchive', Resource: '*' }] }) };
    const sent: Array<() => Promise<unknown>> = [
      () => glacier.send(new sdk.CreateVaultCommand(v)),
      () => glacier.send(new sdk.DescribeVaultCommand(v)),
      () => glacier.send(new sdk.ListVaultsCommand({ accountId: '-' })),
      () =>
        glacier.send(
          new sdk.SetVaultNotificationsCommand({
            ...v,
            vaultNotificationConfig: { SNSTopic: `arn:aws:sns:us-east-1:${fresh.accountId}:t`, Events: ['ArchiveRetrievalCompleted'] },
          }),
        ),
      () => glacier.send(new sdk.GetVaultNotificationsCommand(v)),
      () => glacier.send(new sdk.DeleteVaultNotificationsCommand(v)),
      () => glacier.send(new sdk.SetVaultAccessPolicyCommand({ ...v, policy })),
      () => glacier.send(new sdk.GetVaultAccessPolicyCommand(v)),
      () => glacier.send(new sdk.DeleteVaultAccessPolicyCommand(v)),
      async () => glacier.send(new sdk.CompleteVaultLockCommand({ ...v, lockId: (await glacier.send(new sdk.InitiateVaultLockCommand({ ...v, policy }))).lockId })),
      () => glacier.send(new sdk.GetVaultLockCommand(v)),
      () => glacier.send(new sdk.AbortVaultLockCommand({ vaultName: 'account-all-2', accountId: '-' })).catch(() => undefined),
      () => glacier.send(new sdk.AddTagsToVaultCommand({ ...v, Tags: { a: 'b' } })),
      () => glacier.send(new sdk.ListTagsForVaultCommand(v)),
      () => glacier.send(new sdk.RemoveTagsFromVaultCommand({ ...v, TagKeys: ['a'] })),
      () => glacier.send(new sdk.GetDataRetrievalPolicyCommand({ accountId: '-' })),
      () => glacier.send(new sdk.SetDataRetrievalPolicyCommand({ accountId: '-', Policy: { Rules: [{ Strategy: 'None' }] } })),
      () => glacier.send(new sdk.PurchaseProvisionedCapacityCommand({ accountId: '-' })),
      () => glacier.send(new sdk.ListProvisionedCapacityCommand({ accountId: '-' })),
      () => glacier.send(new sdk.UploadArchiveCommand({ vaultName: 'account-all-2', accountId: '-', body: Buffer.from('x') })).catch(() => undefined),
      async () => {
        const { uploadId } = await glacier.send(new sdk.InitiateMultipartUploadCommand({ ...v, partSize: String(MiB) }));
        await glacier.send(new sdk.UploadMultipartPartCommand({ ...v, uploadId, range: 'bytes 0-0/*', body: Buffer.from('y') }));
        await glacier.send(new sdk.ListPartsCommand({ ...v, uploadId }));
        await glacier.send(new sdk.ListMultipartUploadsCommand(v));
        const treeHash = (await glacier.send(new sdk.ListPartsCommand({ ...v, uploadId }))).Parts![0]!.SHA256TreeHash;
        const { archiveId } = await glacier.send(new sdk.CompleteMultipartUploadCommand({ ...v, uploadId, archiveSize: '1', checksum: treeHash }));
        const other = await glacier.send(new sdk.InitiateMultipartUploadCommand({ ...v, partSize: String(MiB) }));
        await glacier.send(new sdk.AbortMultipartUploadCommand({ ...v, uploadId: other.uploadId }));
        const { jobId } = await glacier.send(new sdk.InitiateJobCommand({ ...v, jobParameters: { Type: 'archive-retrieval', ArchiveId: archiveId } }));
        await glacier.send(new sdk.DescribeJobCommand({ ...v, jobId }));
        await glacier.send(new sdk.ListJobsCommand(v));
        await (await glacier.send(new sdk.GetJobOutputCommand({ ...v, jobId }))).body!.transformToByteArray();
        await glacier.send(new sdk.DeleteArchiveCommand({ ...v, archiveId })).catch(() => undefined);
      },
      () => glacier.send(new sdk.CreateVaultCommand({ vaultName: 'account-all-empty', accountId: '-' })),
      () => glacier.send(new sdk.DeleteVaultCommand({ vaultName: 'account-all-empty', accountId: '-' })),
    ];
    for (const send of sent) await send();
    const commands = Object.keys(sdk)
      .filter((name) => /^[A-Z]\w*Command$/.test(name))
      .map((name) => name.slice(0, -'Command'.length).replace(/^UploadMultipartPart$/, 'UploadPart'))
      .sort();
    assert.equal(commands.length, 33);
    assert.deepEqual(Object.keys(await fresh.requestCounts()).sort(), commands);
  } finally {
    await fresh.stop();
  }
});

test('glacier-emulator --version prints the version of its package', async () => {
  const packageJson = createRequire(import.meta.url).resolve('glacier-emulator/package.json');
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(dirname(packageJson), 'bin', 'glacier-emulator.js'), '--version']);
  assert.equal(stdout, `glacier-emulator ${version}\n`);
  assert.equal(stderr, '');
});
