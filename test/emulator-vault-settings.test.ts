// The emulator's vault subresources through the real @aws-sdk/client-glacier:
// notifications, access policies, vault lock (its 24 h in-progress window) and tags, and
// DeleteArchive refused by a denying access or lock policy.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  AbortVaultLockCommand,
  AddTagsToVaultCommand,
  CompleteVaultLockCommand,
  CreateVaultCommand,
  DeleteArchiveCommand,
  DeleteVaultAccessPolicyCommand,
  DeleteVaultNotificationsCommand,
  GetVaultAccessPolicyCommand,
  GetVaultLockCommand,
  GetVaultNotificationsCommand,
  type GlacierClient,
  InitiateVaultLockCommand,
  ListTagsForVaultCommand,
  RemoveTagsFromVaultCommand,
  SetVaultAccessPolicyCommand,
  SetVaultNotificationsCommand,
  UploadArchiveCommand,
} from '@aws-sdk/client-glacier';
import { sdkClientFor } from './helpers/emulator.js';
import { emulatorStarted, useEmulator } from './helpers/emulatorFixture.js';
import { rejectsWithAwsError } from './helpers/rejectsWithAwsError.js';

const emulator = useEmulator({ jobDelay: 0 });
let glacier: GlacierClient;
const DAY = 24 * 3600;

before(async () => {
  await emulatorStarted(emulator);
  glacier = sdkClientFor(emulator);
});

async function vault(vaultName: string): Promise<string> {
  await glacier.send(new CreateVaultCommand({ vaultName, accountId: '-' }));
  return `arn:aws:glacier:us-east-1:${emulator.accountId}:vaults/${vaultName}`;
}

async function archive(vaultName: string): Promise<string> {
  return (await glacier.send(new UploadArchiveCommand({ vaultName, accountId: '-', body: Buffer.from('kept') }))).archiveId!;
}

function denyDeletes(resource: string, condition?: Record<string, unknown>): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'no-deletes', Principal: '*', Effect: 'Deny', Action: 'glacier:DeleteArchive', Resource: resource, ...(condition === undefined ? {} : { Condition: condition }) },
    ],
  });
}

test('notifications: set, get, replace, delete; bad topics and events refused', async () => {
  const vaultName = 'settings-notify';
  await vault(vaultName);
  const get = () => glacier.send(new GetVaultNotificationsCommand({ vaultName, accountId: '-' }));
  const set = (SNSTopic: string, Events: string[]) => glacier.send(new SetVaultNotificationsCommand({ vaultName, accountId: '-', vaultNotificationConfig: { SNSTopic, Events } }));
  await rejectsWithAwsError(get(), 'ResourceNotFoundException', 404);
  const topic = `arn:aws:sns:us-east-1:${emulator.accountId}:retrievals`;
  const stored = await set(topic, ['ArchiveRetrievalCompleted']);
  assert.equal(stored.$metadata.httpStatusCode, 204);
  assert.deepEqual((await get()).vaultNotificationConfig, { SNSTopic: topic, Events: ['ArchiveRetrievalCompleted'] });
  await set(topic, ['ArchiveRetrievalCompleted', 'InventoryRetrievalCompleted']);
  assert.deepEqual((await get()).vaultNotificationConfig?.Events, ['ArchiveRetrievalCompleted', 'InventoryRetrievalCompleted']);

  await rejectsWithAwsError(set('not-an-arn', ['ArchiveRetrievalCompleted']), 'InvalidParameterValueException', 400, /SNSTopic/);
  await rejectsWithAwsError(set(topic, ['ArchiveUploaded']), 'InvalidParameterValueException', 400, /Events/);
  await rejectsWithAwsError(set(topic, []), 'InvalidParameterValueException', 400);
  await rejectsWithAwsError(
    glacier.send(
      new SetVaultNotificationsCommand({ vaultName: 'settings-none', accountId: '-', vaultNotificationConfig: { SNSTopic: topic, Events: ['ArchiveRetrievalCompleted'] } }),
    ),
    'ResourceNotFoundException',
    404,
  );

  const deleted = await glacier.send(new DeleteVaultNotificationsCommand({ vaultName, accountId: '-' }));
  assert.equal(deleted.$metadata.httpStatusCode, 204);
  await rejectsWithAwsError(get(), 'ResourceNotFoundException', 404);
});

test('access policy: stored as sent, bad documents refused; a Deny on DeleteArchive refuses deletions until removed', async () => {
  const vaultName = 'settings-policy';
  const arn = await vault(vaultName);
  const archiveId = await archive(vaultName);
  const get = () => glacier.send(new GetVaultAccessPolicyCommand({ vaultName, accountId: '-' }));
  const set = (Policy: string) => glacier.send(new SetVaultAccessPolicyCommand({ vaultName, accountId: '-', policy: { Policy } }));
  await rejectsWithAwsError(get(), 'ResourceNotFoundException', 404);

  const allowRead = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Effect: 'Allow', Action: ['glacier:InitiateJob', 'glacier:GetJobOutput'], Resource: arn }],
  });
  assert.equal((await set(allowRead)).$metadata.httpStatusCode, 204);
  assert.equal((await get()).policy?.Policy, allowRead);
  for (const bad of [
    '{not json',
    '[]',
    JSON.stringify({ Statement: [{ Effect: 'Maybe', Principal: '*', Action: '*' }] }),
    JSON.stringify({ Statement: [{ Effect: 'Deny', Action: '*' }] }),
    `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"${'x'.repeat(21 * 1024)}"}]}`,
  ]) {
    await rejectsWithAwsError(set(bad), 'InvalidParameterValueException', 400, /policy/i);
  }
  assert.equal((await get()).policy?.Policy, allowRead, 'a refused policy leaves the old one');

  // A Deny for another vault, or for another action, changes nothing here.
  await set(denyDeletes(`${arn}-other`));
  await set(JSON.stringify({ Statement: [{ Principal: '*', Effect: 'Deny', Action: 'glacier:UploadArchive', Resource: arn }] }));
  await set(denyDeletes('arn:aws:glacier:us-east-1:*:vaults/settings-pol*'));
  await rejectsWithAwsError(glacier.send(new DeleteArchiveCommand({ vaultName, accountId: '-', archiveId })), 'AccessDeniedException', 403, /glacier:DeleteArchive/);
  await set(JSON.stringify({ Statement: [{ Principal: '*', Effect: 'Deny', Action: 'glacier:*', Resource: '*' }] }));
  await rejectsWithAwsError(glacier.send(new DeleteArchiveCommand({ vaultName, accountId: '-', archiveId })), 'AccessDeniedException', 403);
  assert.equal((await emulator.listArchives(vaultName)).length, 1);

  assert.equal((await glacier.send(new DeleteVaultAccessPolicyCommand({ vaultName, accountId: '-' }))).$metadata.httpStatusCode, 204);
  await rejectsWithAwsError(get(), 'ResourceNotFoundException', 404);
  await glacier.send(new DeleteArchiveCommand({ vaultName, accountId: '-', archiveId }));
  assert.equal((await emulator.listArchives(vaultName)).length, 0);
});

test('vault lock: in progress for 24 h and enforced meanwhile, completed with its lock id, then Locked for good', async () => {
  const vaultName = 'settings-lock';
  const arn = await vault(vaultName);
  const archiveId = await archive(vaultName);
  const policy = denyDeletes(arn, { NumericLessThan: { 'glacier:ArchiveAgeInDays': '365' } });
  const initiate = () => glacier.send(new InitiateVaultLockCommand({ vaultName, accountId: '-', policy: { Policy: policy } }));
  const getLock = () => glacier.send(new GetVaultLockCommand({ vaultName, accountId: '-' }));
  const complete = (lockId: string) => glacier.send(new CompleteVaultLockCommand({ vaultName, accountId: '-', lockId }));
  const abort = () => glacier.send(new AbortVaultLockCommand({ vaultName, accountId: '-' }));
  const deleteIt = () => glacier.send(new DeleteArchiveCommand({ vaultName, accountId: '-', archiveId }));

  await rejectsWithAwsError(getLock(), 'ResourceNotFoundException', 404);
  assert.equal((await abort()).$metadata.httpStatusCode, 204, 'aborting no lock is fine');
  await rejectsWithAwsError(glacier.send(new InitiateVaultLockCommand({ vaultName, accountId: '-', policy: { Policy: 'nope' } })), 'InvalidParameterValueException', 400);

  const first = await initiate();
  assert.equal(first.$metadata.httpStatusCode, 201);
  assert.match(first.lockId ?? '', /^[A-Za-z0-9_-]{8,}$/);
  const inProgress = await getLock();
  assert.equal(inProgress.State, 'InProgress');
  assert.equal(inProgress.Policy, policy);
  assert.equal(Date.parse(inProgress.ExpirationDate!) - Date.parse(inProgress.CreationDate!), DAY * 1000);
  await rejectsWithAwsError(deleteIt(), 'AccessDeniedException', 403, /explicit deny/);
  await rejectsWithAwsError(initiate(), 'AccessDeniedException', 403);
  await rejectsWithAwsError(complete('wrong-lock-id'), 'InvalidParameterValueException', 400);

  // Aborted: gone; initiated again, it lapses after 24 hours.
  await abort();
  await rejectsWithAwsError(getLock(), 'ResourceNotFoundException', 404);
  const lapsing = await initiate();
  await emulator.advanceClock(DAY - 60);
  assert.equal((await getLock()).State, 'InProgress');
  await emulator.advanceClock(60);
  await rejectsWithAwsError(getLock(), 'ResourceNotFoundException', 404);
  await rejectsWithAwsError(complete(lapsing.lockId!), 'InvalidParameterValueException', 400);

  const final = await initiate();
  assert.notEqual(final.lockId, lapsing.lockId);
  assert.equal((await complete(final.lockId!)).$metadata.httpStatusCode, 204);
  const locked = await getLock();
  assert.equal(locked.State, 'Locked');
  assert.equal(locked.ExpirationDate, undefined);
  await complete(final.lockId!);
  await rejectsWithAwsError(complete('wrong-lock-id'), 'AccessDeniedException', 403);
  await rejectsWithAwsError(abort(), 'AccessDeniedException', 403);
  await rejectsWithAwsError(initiate(), 'AccessDeniedException', 403);
  await emulator.advanceClock(30 * DAY);
  assert.equal((await getLock()).State, 'Locked', 'a Locked lock never lapses');

  // The condition: archives younger than 365 days stay; older ones may go.
  await rejectsWithAwsError(deleteIt(), 'AccessDeniedException', 403);
  await emulator.advanceClock(335 * DAY);
  assert.equal((await deleteIt()).$metadata.httpStatusCode, 204);
  assert.equal((await emulator.listArchives(vaultName)).length, 0);
});

test('tags: added, overwritten, listed, removed; at most 50, keys and values bounded', async () => {
  const vaultName = 'settings-tags';
  await vault(vaultName);
  const list = async () => (await glacier.send(new ListTagsForVaultCommand({ vaultName, accountId: '-' }))).Tags;
  const add = (Tags: Record<string, string>) => glacier.send(new AddTagsToVaultCommand({ vaultName, accountId: '-', Tags }));
  assert.deepEqual(await list(), {});
  assert.equal((await add({ team: 'ops', tier: 'cold' })).$metadata.httpStatusCode, 204);
  await add({ team: 'backup' });
  assert.deepEqual(await list(), { team: 'backup', tier: 'cold' });
  const removed = await glacier.send(new RemoveTagsFromVaultCommand({ vaultName, accountId: '-', TagKeys: ['tier', 'never-there'] }));
  assert.equal(removed.$metadata.httpStatusCode, 204);
  assert.deepEqual(await list(), { team: 'backup' });

  await add(Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`key-${i}`, `value-${i}`])));
  assert.equal(Object.keys((await list()) ?? {}).length, 50);
  await rejectsWithAwsError(add({ 'one-too-many': 'x' }), 'LimitExceededException', 400);
  await add({ team: 'still fine: an overwrite adds no tag' });
  await rejectsWithAwsError(add({ 'aws:reserved': 'x' }), 'InvalidParameterValueException', 400);
  await rejectsWithAwsError(add({ ['k'.repeat(129)]: 'x' }), 'InvalidParameterValueException', 400);
  await rejectsWithAwsError(add({ team: 'v'.repeat(257) }), 'InvalidParameterValueException', 400);
  assert.equal(Object.keys((await list()) ?? {}).length, 50);
  await rejectsWithAwsError(glacier.send(new ListTagsForVaultCommand({ vaultName: 'settings-none', accountId: '-' })), 'ResourceNotFoundException', 404);
});
