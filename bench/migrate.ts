// Migration throughput: a 1 GiB archive (BENCH_MIGRATE_MIB overrides) from a local
// emulator into a local S3 server (moto) with `glacier-migrate`, against the two halves
// alone in the same run: `glacier-retrieve -o-` of the same archive to /dev/null, and an
// S3 upload of the same bytes from a file shaped like the migration's (8 MiB parts, four in
// flight, each with its SHA-256 checksum). Target: migrate >= 0.8x the slower half.
// BENCH_RUNS runs (default 1); medians shown. Skipped with a note where moto is missing.
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { startEmulator } from '../test/helpers/emulator.js';
import { motoAvailable, startMoto } from '../test/helpers/motoServer.js';
import { binPath, runCli } from '../test/helpers/runCli.js';
import { newBucket, s3Client } from '../test/migrateFixtures.js';
import { median } from './lib/median.js';
import { measuredRun } from './lib/measuredRun.js';
import { writeRandomFile } from './lib/randomFile.js';

const MiB = 1024 * 1024;
const PART = 8 * MiB;
const IN_FLIGHT = 4;

/** The S3 half alone: the file's bytes as 8 MiB parts, four in flight, SHA-256 each. */
async function uploadFile(client: S3Client, bucket: string, key: string, path: string, size: number): Promise<number> {
  const started = performance.now();
  const created = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: 'SHA256' }));
  const fd = openSync(path, 'r');
  const parts: CompletedPart[] = [];
  const inFlight = new Set<Promise<void>>();
  try {
    for (let offset = 0, number = 1; offset < size; offset += PART, number++) {
      const body = Buffer.allocUnsafe(Math.min(PART, size - offset));
      readSync(fd, body, 0, body.length, offset);
      const checksum = createHash('sha256').update(body).digest('base64');
      const partNumber = number;
      const task = client
        .send(
          new UploadPartCommand({
            Bucket: bucket,
            Key: key,
            UploadId: created.UploadId,
            PartNumber: partNumber,
            Body: body,
            ChecksumSHA256: checksum,
            ChecksumAlgorithm: 'SHA256',
          }),
        )
        .then((answer) => {
          parts[partNumber - 1] = { PartNumber: partNumber, ETag: answer.ETag, ChecksumSHA256: checksum };
        });
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
      if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    closeSync(fd);
  }
  await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: created.UploadId, MultipartUpload: { Parts: parts } }));
  return (performance.now() - started) / 1000;
}

async function emptyBucket(client: S3Client, bucket: string): Promise<void> {
  const listing = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  for (const item of listing.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: item.Key }));
}

export async function run(): Promise<void> {
  if (!motoAvailable()) {
    process.stdout.write('migrate: skipped: moto (python3 -m moto.server) is not installed\n');
    return;
  }
  const sizeMiB = Number(process.env.BENCH_MIGRATE_MIB ?? 1024);
  const size = sizeMiB * MiB;
  const scratch = mkdtempSync(join(tmpdir(), 'bench-migrate-'));
  const emulator = await startEmulator({ jobDelay: 0 });
  const moto = await startMoto();
  const client = s3Client(moto.endpoint);
  try {
    const env = { PATH: process.env.PATH, HOME: scratch, ...emulator.env, AWS_ENDPOINT_URL_S3: moto.endpoint, GLACIER_CACHE_DIR: join(scratch, 'cache'), NODE_NO_WARNINGS: '1' };
    const file = join(scratch, 'archive.bin');
    writeRandomFile(file, sizeMiB);
    for (const args of [
      ['vault', 'create', 'bench'],
      ['archive', 'upload', '--name', 'archive.bin', 'bench', file],
      ['vault', 'sync', '--wait', '--poll-interval', '0.05', 'bench'],
    ]) {
      const result = await runCli('glacier', args, { env });
      if (result.status !== 0) throw new Error(`glacier ${args.join(' ')}: ${result.stderr}`);
    }
    const bucket = await newBucket(moto.endpoint);
    const queued = await runCli('glacier-migrate', ['bench', `s3://${bucket}/warmup`], { env });
    if (queued.status !== 75) throw new Error(`expected a started job (75), got ${queued.status}: ${queued.stderr}`);

    const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
    const devNull = openSync('/dev/null', 'w');
    const retrieveSeconds: number[] = [];
    const uploadSeconds: number[] = [];
    const migrateSeconds: number[] = [];
    const migrateRss: number[] = [];
    try {
      for (let i = 0; i < runs; i++) {
        const retrieve = await measuredRun(process.execPath, [binPath('glacier-retrieve'), '-o-', 'bench', 'archive.bin'], { env, stdout: devNull });
        if (retrieve.status !== 0) throw new Error(`glacier-retrieve exited ${retrieve.status}`);
        retrieveSeconds.push(retrieve.seconds);
        uploadSeconds.push(await uploadFile(client, bucket, `upload-${i}`, file, size));
        await emptyBucket(client, bucket);
        const migrate = await measuredRun(process.execPath, [binPath('glacier-migrate'), '--storage-class', 'STANDARD', 'bench', `s3://${bucket}/run-${i}`], {
          env,
          stdout: devNull,
        });
        if (migrate.status !== 0) throw new Error(`glacier-migrate exited ${migrate.status}`);
        migrateSeconds.push(migrate.seconds);
        migrateRss.push(migrate.peakRss);
        await emptyBucket(client, bucket);
      }
    } finally {
      closeSync(devNull);
    }
    const rate = (seconds: number): string => `${(sizeMiB / seconds).toFixed(0).padStart(5)} MiB/s`;
    const slower = Math.max(median(retrieveSeconds), median(uploadSeconds));
    process.stdout.write(
      `migrate: ${sizeMiB} MiB archive from the emulator to S3 (moto), median of ${runs} run${runs === 1 ? '' : 's'}; all three servers share the machine's cores\n` +
        `  glacier-retrieve -o- (retrieve alone)   ${median(retrieveSeconds).toFixed(2)} s ${rate(median(retrieveSeconds))}\n` +
        `  S3 multipart upload (upload alone)      ${median(uploadSeconds).toFixed(2)} s ${rate(median(uploadSeconds))}\n` +
        `  glacier-migrate                         ${median(migrateSeconds).toFixed(2)} s ${rate(median(migrateSeconds))}  peak RSS ${(median(migrateRss) / MiB).toFixed(0)} MiB\n` +
        `  ratio                                   ${(slower / median(migrateSeconds)).toFixed(2)}x the slower half (target >= 0.80)\n`,
    );
  } finally {
    client.destroy();
    await moto.stop();
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
