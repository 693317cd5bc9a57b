// The emulator's vault, archive and multipart operations, its signature checks and its
// region partitioning, all through the real @aws-sdk/client-glacier (and node:http for
// requests the SDK would never send).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateVaultCommand,
  DeleteArchiveCommand,
  DeleteVaultCommand,
  DescribeVaultCommand,
  GlacierClient,
  InitiateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  ListVaultsCommand,
  UploadArchiveCommand,
  UploadMultipartPartCommand,
} from '@aws-sdk/client-glacier';
import { useEmulator } from './helpers/emulatorFixture.js';
import { rejectsWithAwsError } from './helpers/rejectsWithAwsError.js';
import { oracleTreeHash } from './helpers/oracleTreeHash.js';

const MiB = 1024 * 1024;
const emulator = useEmulator({ jobDelay: 0 });

function client(overrides: { region?: string; secretAccessKey?: string; accessKeyId?: string } = {}): GlacierClient {
  return new GlacierClient({
    region: overrides.region ?? 'us-east-1',
    endpoint: emulator.endpoint,
    maxAttempts: 1,
    credentials: {
      accessKeyId: overrides.accessKeyId ?? emulator.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: overrides.secretAccessKey ?? emulator.env.AWS_SECRET_ACCESS_KEY,
    },
  });
}

interface Tweakable {
  middlewareStack: {
    add(middleware: unknown, options: { step: 'build'; priority: 'low'; name: string }): void;
  };
}
interface RawRequest {
  headers: Record<string, string>;
  body: unknown;
}

/** Changes the request after the SDK built it and before it is signed. */
function tweak<T extends Tweakable>(command: T, change: (request: RawRequest) => void): T {
  command.middlewareStack.add(
    (next: (args: { request: RawRequest }) => Promise<unknown>) => async (args: { request: RawRequest }) => {
      change(args.request);
      return next(args);
    },
    { step: 'build', priority: 'low', name: 'testTweak' },
  );
  return command;
}

function rawRequest(method: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${emulator.endpoint}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>, headers: res.headers }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

test('vaults: create is idempotent, describe, list pages, bad names, delete only when empty as of the inventory', async () => {
  const glacier = client();
  const created = await glacier.send(new CreateVaultCommand({ vaultName: 'api-v1', accountId: '-' }));
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.equal(created.location, `/${emulator.accountId}/vaults/api-v1`);
  await glacier.send(new CreateVaultCommand({ vaultName: 'api-v1', accountId: '-' }));

  const described = await glacier.send(new DescribeVaultCommand({ vaultName: 'api-v1', accountId: '-' }));
  assert.equal(described.VaultARN, `arn:aws:glacier:us-east-1:${emulator.accountId}:vaults/api-v1`);
  assert.equal(described.VaultName, 'api-v1');
  assert.equal(described.NumberOfArchives, 0);
  assert.equal(described.SizeInBytes, 0);
  assert.equal(described.LastInventoryDate, undefined);
  assert.match(described.CreationDate ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

  for (const name of ['api-page-a', 'api-page-b', 'api-page-c', 'api-page-d', 'api-page-e']) {
    await glacier.send(new CreateVaultCommand({ vaultName: name, accountId: '-' }));
  }
  const seen: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = await glacier.send(new ListVaultsCommand({ accountId: '-', limit: 2, marker }));
    assert.ok((page.VaultList ?? []).length <= 2);
    seen.push(...(page.VaultList ?? []).map((vault) => vault.VaultName!));
    marker = page.Marker;
    pages++;
  } while (marker !== undefined && marker !== null);
  assert.ok(pages >= 3);
  assert.deepEqual(seen, [...seen].sort());
  for (const name of ['api-page-a', 'api-page-e', 'api-v1']) assert.ok(seen.includes(name));

  await rejectsWithAwsError(glacier.send(new CreateVaultCommand({ vaultName: 'bad name!', accountId: '-' })), 'InvalidParameterValueException', 400);
  await rejectsWithAwsError(glacier.send(new CreateVaultCommand({ vaultName: 'x'.repeat(256), accountId: '-' })), 'InvalidParameterValueException', 400);
  await rejectsWithAwsError(glacier.send(new DescribeVaultCommand({ vaultName: 'api-missing', accountId: '-' })), 'ResourceNotFoundException', 404, /Vault not found for ARN/);

  // Never written: deletable at once.
  const deleted = await glacier.send(new DeleteVaultCommand({ vaultName: 'api-page-e', accountId: '-' }));
  assert.equal(deleted.$metadata.httpStatusCode, 204);
  await rejectsWithAwsError(glacier.send(new DescribeVaultCommand({ vaultName: 'api-page-e', accountId: '-' })), 'ResourceNotFoundException', 404);

  // Not empty: refused with Glacier's message; emptied: deletable once an inventory saw it empty.
  const upload = await glacier.send(new UploadArchiveCommand({ vaultName: 'api-page-d', accountId: '-', body: Buffer.from('data') }));
  await rejectsWithAwsError(
    glacier.send(new DeleteVaultCommand({ vaultName: 'api-page-d', accountId: '-' })),
    'InvalidParameterValueException',
    400,
    /Vault not empty or recently written to/,
  );
  await glacier.send(new DeleteArchiveCommand({ vaultName: 'api-page-d', accountId: '-', archiveId: upload.archiveId }));
  await glacier.send(new DeleteVaultCommand({ vaultName: 'api-page-d', accountId: '-' }));
});

test('vaults of one name in two regions are two vaults', async () => {
  const east = client();
  const west = client({ region: 'us-west-2' });
  await east.send(new CreateVaultCommand({ vaultName: 'api-regional', accountId: '-' }));
  await rejectsWithAwsError(west.send(new DescribeVaultCommand({ vaultName: 'api-regional', accountId: '-' })), 'ResourceNotFoundException', 404, /us-west-2/);
  await west.send(new CreateVaultCommand({ vaultName: 'api-regional', accountId: '-' }));
  await east.send(new UploadArchiveCommand({ vaultName: 'api-regional', accountId: '-', body: Buffer.from('east') }));
  assert.equal((await emulator.listArchives('api-regional', 'us-east-1')).length, 1);
  assert.equal((await emulator.listArchives('api-regional', 'us-west-2')).length, 0);
  const westVault = await west.send(new DescribeVaultCommand({ vaultName: 'api-regional', accountId: '-' }));
  assert.equal(westVault.VaultARN, `arn:aws:glacier:us-west-2:${emulator.accountId}:vaults/api-regional`);
});

test('upload archive: stored bytes and tree hash, checksum and description checks, empty bodies refused', async () => {
  const glacier = client();
  await glacier.send(new CreateVaultCommand({ vaultName: 'api-archives', accountId: '-' }));
  const data = Buffer.alloc(3 * MiB + 17);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) & 0xff;
  const uploaded = await glacier.send(new UploadArchiveCommand({ vaultName: 'api-archives', accountId: '-', body: data, archiveDescription: '   leading spaces go' }));
  assert.equal(uploaded.$metadata.httpStatusCode, 201);
  assert.equal(uploaded.archiveId?.length, 138);
  assert.match(uploaded.archiveId ?? '', /^[A-Za-z0-9_-]+$/);
  assert.equal(uploaded.checksum, oracleTreeHash(data));
  assert.equal(uploaded.location, `/${emulator.accountId}/vaults/api-archives/archives/${uploaded.archiveId}`);
  assert.deepEqual(await emulator.archiveBytes('api-archives', uploaded.archiveId), data);
  const [listed] = await emulator.listArchives('api-archives');
  assert.equal(listed?.ArchiveDescription, 'leading spaces go');
  assert.equal(listed?.Size, data.length);
  assert.equal(listed?.SHA256TreeHash, oracleTreeHash(data));

  await rejectsWithAwsError(
    glacier.send(new UploadArchiveCommand({ vaultName: 'api-archives', accountId: '-', body: Buffer.from('abc'), checksum: 'ab'.repeat(32) })),
    'InvalidParameterValueException',
    400,
    /Checksum mismatch/,
  );
  const wrongPlainHash = tweak(new UploadArchiveCommand({ vaultName: 'api-archives', accountId: '-', body: Buffer.from('abc') }), (req) => {
    req.headers['x-amz-content-sha256'] = createHash('sha256').update('abd').digest('hex');
  });
  await rejectsWithAwsError(glacier.send(wrongPlainHash), 'InvalidParameterValueException', 400, /Checksum mismatch/);
  for (const description of ['caf\u00e9', 'tab\there', 'x'.repeat(1025)]) {
    await rejectsWithAwsError(
      glacier.send(new UploadArchiveCommand({ vaultName: 'api-archives', accountId: '-', body: Buffer.from('abc'), archiveDescription: description })),
      'InvalidParameterValueException',
      400,
    );
  }
  await glacier.send(new UploadArchiveCommand({ vaultName: 'api-archives', accountId: '-', body: Buffer.from('abc'), archiveDescription: '~'.repeat(1024) }));
  const empty = createHash('sha256').digest('hex');
  const emptyUpload = tweak(new UploadArchiveCommand({ vaultName: 'api-archives', accountId: '-', body: Buffer.from('x') }), (req) => {
    req.body = Buffer.alloc(0);
    req.headers['content-length'] = '0';
    req.headers['x-amz-content-sha256'] = empty;
    req.headers['x-amz-sha256-tree-hash'] = empty;
  });
  await rejectsWithAwsError(glacier.send(emptyUpload), 'InvalidParameterValueException', 400, /Content-Length/);
  assert.equal((await emulator.listArchives('api-archives')).length, 2);

  const deleted = await glacier.send(new DeleteArchiveCommand({ vaultName: 'api-archives', accountId: '-', archiveId: uploaded.archiveId }));
  assert.equal(deleted.$metadata.httpStatusCode, 204);
  await glacier.send(new DeleteArchiveCommand({ vaultName: 'api-archives', accountId: '-', archiveId: uploaded.archiveId }));
  const unknown = `${'A'.repeat(137)}B`;
  await rejectsWithAwsError(glacier.send(new DeleteArchiveCommand({ vaultName: 'api-archives', accountId: '-', archiveId: unknown })), 'ResourceNotFoundException', 404);
  await rejectsWithAwsError(glacier.send(new UploadArchiveCommand({ vaultName: 'api-no-such-vault', accountId: '-', body: Buffer.from('abc') })), 'ResourceNotFoundException', 404);
});

test('multipart: part size, ranges, hashes, re-sent parts, listings, completion checks, abort', async () => {
  const glacier = client();
  const vaultName = 'api-multipart';
  await glacier.send(new CreateVaultCommand({ vaultName, accountId: '-' }));
  for (const partSize of ['0', '3145728', '524288', String(8192 * MiB), 'abc']) {
    await rejectsWithAwsError(glacier.send(new InitiateMultipartUploadCommand({ vaultName, accountId: '-', partSize })), 'InvalidParameterValueException', 400);
  }
  await rejectsWithAwsError(
    glacier.send(new InitiateMultipartUploadCommand({ vaultName, accountId: '-', partSize: String(MiB), archiveDescription: 'bad\tdescription' })),
    'InvalidParameterValueException',
    400,
  );
  const initiated = await glacier.send(new InitiateMultipartUploadCommand({ vaultName, accountId: '-', partSize: String(MiB), archiveDescription: 'parts' }));
  assert.equal(initiated.$metadata.httpStatusCode, 201);
  const uploadId = initiated.uploadId!;
  assert.equal(initiated.location, `/${emulator.accountId}/vaults/${vaultName}/multipart-uploads/${uploadId}`);

  const data = Buffer.alloc(3 * MiB + 5);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 12)) & 0xff;
  const part = (index: number): Buffer => data.subarray(index * MiB, Math.min((index + 1) * MiB, data.length));
  const range = (index: number): string => `bytes ${index * MiB}-${index * MiB + part(index).length - 1}/*`;
  const send = (index: number, body: Buffer = part(index), rangeText = range(index), checksum?: string) =>
    glacier.send(new UploadMultipartPartCommand({ vaultName, accountId: '-', uploadId, range: rangeText, body, checksum }));

  await rejectsWithAwsError(send(0, part(0), `bytes 512-${512 + MiB - 1}/*`), 'InvalidParameterValueException', 400, /incompatible/);
  await rejectsWithAwsError(send(0, Buffer.alloc(2 * MiB), `bytes 0-${2 * MiB - 1}/*`), 'InvalidParameterValueException', 400);
  await rejectsWithAwsError(send(1, part(1), range(1), 'cd'.repeat(32)), 'InvalidParameterValueException', 400, /Checksum mismatch/);

  // A first version of part 2, then the right one: the last one sent counts.
  await send(2, Buffer.alloc(MiB, 1));
  for (const index of [3, 0, 2, 1]) {
    const sent = await send(index);
    assert.equal(sent.$metadata.httpStatusCode, 204);
    assert.equal(sent.checksum, oracleTreeHash(part(index)));
  }

  const parts: string[] = [];
  let marker: string | undefined;
  do {
    const page = await glacier.send(new ListPartsCommand({ vaultName, accountId: '-', uploadId, limit: 3, marker }));
    assert.equal(page.PartSizeInBytes, MiB);
    assert.equal(page.ArchiveDescription, 'parts');
    assert.equal(page.MultipartUploadId, uploadId);
    parts.push(...(page.Parts ?? []).map((item) => `${item.RangeInBytes} ${item.SHA256TreeHash}`));
    marker = page.Marker ?? undefined;
  } while (marker !== undefined);
  assert.deepEqual(
    parts,
    [0, 1, 2, 3].map((index) => `${range(index).slice(6, -2)} ${oracleTreeHash(part(index))}`),
  );

  const other = await glacier.send(new InitiateMultipartUploadCommand({ vaultName, accountId: '-', partSize: String(4 * MiB) }));
  const uploads: string[] = [];
  let uploadMarker: string | undefined;
  do {
    const page = await glacier.send(new ListMultipartUploadsCommand({ vaultName, accountId: '-', limit: 1, marker: uploadMarker }));
    assert.ok((page.UploadsList ?? []).length <= 1);
    uploads.push(...(page.UploadsList ?? []).map((item) => item.MultipartUploadId!));
    uploadMarker = page.Marker ?? undefined;
  } while (uploadMarker !== undefined);
  assert.deepEqual(uploads.sort(), [uploadId, other.uploadId!].sort());

  const complete = (archiveSize: number, checksum: string) =>
    glacier.send(new CompleteMultipartUploadCommand({ vaultName, accountId: '-', uploadId, archiveSize: String(archiveSize), checksum }));
  const rightHash = oracleTreeHash(data);
  await rejectsWithAwsError(complete(data.length + 1, rightHash), 'InvalidParameterValueException', 400);
  await rejectsWithAwsError(complete(data.length - 5, rightHash), 'InvalidParameterValueException', 400);
  await rejectsWithAwsError(complete(data.length, 'ef'.repeat(32)), 'InvalidParameterValueException', 400, /Checksum mismatch/);
  const completed = await complete(data.length, rightHash);
  assert.equal(completed.$metadata.httpStatusCode, 201);
  assert.equal(completed.checksum, rightHash);
  assert.equal(completed.archiveId?.length, 138);
  assert.deepEqual(await emulator.archiveBytes(vaultName, completed.archiveId), data);
  // Complete again: the same archive, no duplicate (api-multipart-complete-upload.md).
  assert.equal((await complete(data.length, rightHash)).archiveId, completed.archiveId);
  await rejectsWithAwsError(glacier.send(new ListPartsCommand({ vaultName, accountId: '-', uploadId })), 'ResourceNotFoundException', 404);
  const archives = await emulator.listArchives(vaultName);
  assert.equal(archives.length, 1);
  assert.equal(archives[0]?.ArchiveDescription, 'parts');

  // A missing part: completion refused.
  const gappy = await glacier.send(new InitiateMultipartUploadCommand({ vaultName, accountId: '-', partSize: String(MiB) }));
  await glacier.send(new UploadMultipartPartCommand({ vaultName, accountId: '-', uploadId: gappy.uploadId, range: range(0), body: part(0) }));
  await glacier.send(new UploadMultipartPartCommand({ vaultName, accountId: '-', uploadId: gappy.uploadId, range: range(3), body: part(3) }));
  await rejectsWithAwsError(
    glacier.send(new CompleteMultipartUploadCommand({ vaultName, accountId: '-', uploadId: gappy.uploadId, archiveSize: String(data.length), checksum: rightHash })),
    'InvalidParameterValueException',
    400,
  );

  const aborted = await glacier.send(new AbortMultipartUploadCommand({ vaultName, accountId: '-', uploadId: other.uploadId }));
  assert.equal(aborted.$metadata.httpStatusCode, 204);
  await rejectsWithAwsError(glacier.send(new ListPartsCommand({ vaultName, accountId: '-', uploadId: other.uploadId })), 'ResourceNotFoundException', 404);
  await rejectsWithAwsError(glacier.send(new AbortMultipartUploadCommand({ vaultName, accountId: '-', uploadId: other.uploadId })), 'ResourceNotFoundException', 404);
});

test('signatures: wrong secret, unknown key, missing signature, missing version header', async () => {
  await rejectsWithAwsError(client({ secretAccessKey: 'not-the-secret' }).send(new ListVaultsCommand({ accountId: '-' })), 'InvalidSignatureException', 403, /signature/);
  await rejectsWithAwsError(client({ accessKeyId: 'AKIAUNKNOWN' }).send(new ListVaultsCommand({ accountId: '-' })), 'UnrecognizedClientException', 403);
  const forged = await rawRequest('GET', '/-/vaults', {
    'x-amz-glacier-version': '2012-06-01',
    'x-amz-date': '20200101T000000Z',
    authorization: `AWS4-HMAC-SHA256 Credential=${emulator.env.AWS_ACCESS_KEY_ID}/20200101/us-east-1/glacier/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
  });
  assert.equal(forged.status, 403);
  assert.equal(forged.body['code'], 'InvalidSignatureException');

  const unsigned = await rawRequest('GET', '/-/vaults', { 'x-amz-glacier-version': '2012-06-01' });
  assert.equal(unsigned.status, 403);
  assert.equal(unsigned.body['code'], 'InvalidSignatureException');
  assert.equal(unsigned.body['type'], 'Client');
  assert.equal(typeof unsigned.headers['x-amzn-requestid'], 'string');

  const unversioned = await rawRequest('GET', '/-/vaults', {});
  assert.equal(unversioned.status, 400);
  assert.equal(unversioned.body['code'], 'MissingParameterValueException');
  const withoutVersion = tweak(new ListVaultsCommand({ accountId: '-' }), (req) => {
    delete req.headers['x-amz-glacier-version'];
  });
  await rejectsWithAwsError(client().send(withoutVersion), 'MissingParameterValueException', 400);
});
