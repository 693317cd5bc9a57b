// glacier-migrate to S3 through the real executables: the emulator as Glacier, moto's
// server as S3, both on loopback.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, ListPartsCommand, type S3Client } from '@aws-sdk/client-s3';
import { useEmulator } from './helpers/emulatorFixture.js';
import { motoAvailable, startMoto, type MotoServer } from './helpers/motoServer.js';
import { waitFor } from './helpers/waitFor.js';
import { startCli } from './helpers/runCli.js';
import { migrate, newBucket, s3Client, vaultWith } from './migrateFixtures.js';
import { MiB } from '../src/streams/treeHash.js';

const skip = motoAvailable() ? false : 'moto (python3 -m moto.server) is not installed: S3 migration tests skipped';

async function objectBytes(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await (answer.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

async function listKeys(client: S3Client, bucket: string): Promise<string[]> {
  const answer = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (answer.Contents ?? []).map((item) => item.Key as string).sort();
}

function manifestLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('glacier-migrate to S3', { skip }, () => {
  const emulator = useEmulator({ bulkDelay: 3600, jobDelay: 0 });
  let moto: MotoServer;
  let s3: S3Client;
  before(async () => {
    moto = await startMoto();
    s3 = s3Client(moto.endpoint);
  });
  after(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  test('exit 75 while jobs run, then 0 with every object verified; a rerun sends nothing', async () => {
    const names = ['docs/report.pdf', 'dup', 'dup', '', 'up/../escape', 'big.bin'];
    const fixture = await vaultWith(emulator, moto.endpoint, names, (index) => (index === 5 ? 20 * MiB + 123 : 1000 + index));
    const bucket = await newBucket(moto.endpoint);
    const manifest = join(fixture.cacheDir, '..', 'manifest.jsonl');
    const args = ['--storage-class', 'STANDARD', '--manifest', manifest, fixture.vault, `s3://${bucket}/backup`];

    const first = await migrate(fixture.env, args);
    assert.equal(first.status, 75, first.stderr);
    assert.equal(first.stdout.length, 0);
    assert.match(first.stderr, /started 6 retrieval jobs \(bulk/);
    assert.match(first.stderr, /0 of 6 archives done .*6 pending/);
    assert.deepEqual(await listKeys(s3, bucket), []);

    const again = await migrate(fixture.env, args);
    assert.equal(again.status, 75, again.stderr);
    assert.doesNotMatch(again.stderr, /started/);

    await emulator.advanceClock(3600);
    const second = await migrate(fixture.env, args);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /all 6 archives .* verified there; 6 migrated now/);

    const [docs, dup1, dup2, empty, bad, big] = fixture.archives;
    const expectedKeys = new Map([
      [docs!.id, 'backup/docs/report.pdf'],
      [dup1!.id, `backup/dup.glacier-${dup1!.id}`],
      [dup2!.id, `backup/dup.glacier-${dup2!.id}`],
      [empty!.id, `backup/glacier-archive-${empty!.id}`],
      [bad!.id, `backup/glacier-archive-${bad!.id}`],
      [big!.id, 'backup/big.bin'],
    ]);
    assert.deepEqual(await listKeys(s3, bucket), [...expectedKeys.values(), `backup/glacier-manifest-${fixture.vault}.jsonl`].sort());
    for (const archive of fixture.archives) {
      const key = expectedKeys.get(archive.id) as string;
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      assert.equal(head.ContentLength, archive.size, key);
      assert.equal(head.StorageClass ?? 'STANDARD', 'STANDARD');
      assert.equal(head.Metadata?.['glacier-archive-id'], archive.id);
      assert.equal(head.Metadata?.['glacier-tree-hash'], archive.treeHash);
      const bytes = await objectBytes(s3, bucket, key);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), archive.sha256, key);
      // One part per 8 MiB segment, each with its SHA-256: the composite checksum; one
      // segment is one PutObject, with the SHA-256 of the whole.
      const parts: Buffer[] = [];
      for (let start = 0; start < bytes.length; start += 8 * MiB)
        parts.push(
          createHash('sha256')
            .update(bytes.subarray(start, start + 8 * MiB))
            .digest(),
        );
      const expected = parts.length === 1 ? (parts[0] as Buffer).toString('base64') : createHash('sha256').update(Buffer.concat(parts)).digest('base64');
      assert.equal(head.ChecksumSHA256?.replace(/-\d+$/, ''), expected, key);
    }
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'backup/glacier-archive-' + bad!.id }))).Metadata?.['glacier-description'], 'up/../escape');

    const lines = manifestLines(manifest);
    const migrated = lines.filter((line) => line.status === 'migrated');
    assert.equal(migrated.length, 6);
    for (const line of migrated) {
      const archive = fixture.archives.find((candidate) => candidate.id === line.archiveId);
      assert.ok(archive);
      assert.equal(line.destination, `s3://${bucket}/${expectedKeys.get(archive.id)}`);
      assert.equal(line.size, archive.size);
      assert.equal(line.treeHash, archive.treeHash);
      assert.match(String(line.checksum), archive.size > 8 * MiB ? /^[A-Za-z0-9+/]{43}=-3$/ : /^[A-Za-z0-9+/]{43}=$/);
    }
    assert.equal(migrated.find((line) => line.archiveId === dup1!.id)?.keyReason, 'shared-name');
    assert.equal(migrated.find((line) => line.archiveId === empty!.id)?.keyReason, 'empty-name');
    assert.equal(migrated.find((line) => line.archiveId === bad!.id)?.keyReason, 'invalid-name');
    assert.equal((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads?.length ?? 0, 0);

    // A rerun: no Glacier request, and S3 on a port nobody listens on is never asked.
    await emulator.resetRequestCounts();
    const rerun = await migrate({ ...fixture.env, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9', GLACIER_RETRY_ATTEMPTS: '1' }, args);
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.match(rerun.stderr, /all 6 archives .* verified there; 0 migrated now/);
    assert.deepEqual(await emulator.requestCounts(), {});
  });

  test('--shard 0/2 and 1/2 together migrate every archive exactly once, as DEEP_ARCHIVE by default', async () => {
    const names = Array.from({ length: 10 }, (_, index) => `file-${index}`);
    const fixture = await vaultWith(emulator, moto.endpoint, names);
    const bucket = await newBucket(moto.endpoint);
    const manifests = [0, 1].map((index) => join(fixture.cacheDir, '..', `shard-${index}.jsonl`));
    const run = (index: number) => migrate(fixture.env, ['--shard', `${index}/2`, '--manifest', manifests[index] as string, fixture.vault, `s3://${bucket}`]);
    for (const index of [0, 1]) assert.equal((await run(index)).status, 75);
    await emulator.advanceClock(3600);
    const done = await Promise.all([run(0), run(1)]);
    for (const result of done) assert.equal(result.status, 0, result.stderr);
    const counts = done.map((result) => Number(/all (\d+) archives/.exec(result.stderr)?.[1]));
    assert.equal((counts[0] as number) + (counts[1] as number), 10, done.map((result) => result.stderr).join('\n'));
    assert.ok((counts[0] as number) > 0 && (counts[1] as number) > 0, `a split of ${counts.join('/')} shows no partition`);
    const ids = manifests.map((path) =>
      manifestLines(path)
        .filter((line) => line.status === 'migrated')
        .map((line) => line.archiveId as string),
    );
    assert.equal(new Set([...ids[0]!, ...ids[1]!]).size, 10);
    assert.equal(ids[0]!.length + ids[1]!.length, 10);
    assert.deepEqual(await listKeys(s3, bucket), [...names, `glacier-manifest-${fixture.vault}.shard-0-of-2.jsonl`, `glacier-manifest-${fixture.vault}.shard-1-of-2.jsonl`].sort());
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'file-3' }));
    assert.equal(head.StorageClass, 'DEEP_ARCHIVE');
  });

  test('kill -9 mid-upload, then a rerun resumes it and completes with no duplicate and no multipart upload left', async () => {
    const fixture = await vaultWith(emulator, moto.endpoint, ['big'], () => 48 * MiB);
    const bucket = await newBucket(moto.endpoint);
    const args = ['--storage-class', 'STANDARD', fixture.vault, `s3://${bucket}/x`];
    assert.equal((await migrate(fixture.env, args)).status, 75);
    await emulator.advanceClock(3600);
    const running = startCli('glacier-migrate', ['--limit-rate', '8M', ...args], { env: fixture.env });
    // Cut once two of its six parts are stored.
    await waitFor(
      'two parts stored in S3',
      async () => {
        const upload = (await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads?.[0];
        const parts = upload === undefined ? [] : ((await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'x/big', UploadId: upload.UploadId }))).Parts ?? []);
        if (parts.length >= 2) return true;
        if (running.child.exitCode !== null) assert.fail('the migration ended before its upload could be cut');
        return false;
      },
      { intervalMs: 20 },
    );
    running.child.kill('SIGKILL');
    await running.result;
    assert.deepEqual(await listKeys(s3, bucket), []);
    assert.equal((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads?.length, 1);

    await emulator.resetRequestCounts();
    const rerun = await migrate(fixture.env, args);
    assert.equal(rerun.status, 0, rerun.stderr);
    // Stored parts were kept (those the killed run had recorded): not all six segments were fetched again.
    assert.ok(((await emulator.requestCounts()).GetJobOutput ?? 0) < 6, JSON.stringify(await emulator.requestCounts()));
    assert.deepEqual(await listKeys(s3, bucket), ['x/big', `x/glacier-manifest-${fixture.vault}.jsonl`]);
    assert.equal((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads?.length ?? 0, 0);
    const bytes = await objectBytes(s3, bucket, 'x/big');
    assert.equal(createHash('sha256').update(bytes).digest('hex'), fixture.archives[0]!.sha256);
  });
});
