// A Succeeded job's output into one S3 object: each segment, once verified against
// Glacier's tree hash, becomes one part of a multipart upload sent with its SHA-256
// additional checksum (an archive of one segment is one PutObject with its SHA-256). The upload is completed only when the whole archive's tree hash
// matched, and the object counts only once its size, checksum and metadata are read back.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type StorageClass,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import type { S3 } from '../aws/s3.js';
import { quote } from '../cli/messages.js';
import { VerificationError } from '../errors.js';
import type { DownloadPlan } from '../download/plan.js';
import { progressLine } from '../download/progress.js';
import { segmentCount, segmentsFrom } from '../download/segments.js';
import { verifiedSegments } from '../download/verifiedSegments.js';
import { BufferPool } from '../streams/bufferPool.js';
import type { RateLimiter } from '../streams/rateLimiter.js';
import { TreeHashCombiner } from '../streams/treeHash.js';

export interface S3Object {
  s3: S3;
  bucket: string;
  key: string;
  storageClass: string;
  metadata: Record<string, string>;
}

/** Parts in flight at once; each holds a copy of its segment. */
const UPLOAD_CONCURRENCY = 4;

/** The checksum S3 gives a multipart object: SHA-256 of the parts' SHA-256s, then -N. */
export function compositeChecksum(partDigests: readonly Buffer[]): string {
  const hash = createHash('sha256');
  for (const digest of partDigests) hash.update(digest);
  return `${hash.digest('base64')}-${partDigests.length}`;
}

/**
 * Uploads `plan`'s output as `target`; `started` is told the upload id before any part
 * is sent (so a later run can abort it). Returns the object's checksum as read back.
 */
export async function uploadVerifiedToS3(
  plan: DownloadPlan,
  target: S3Object,
  started: (uploadId: string) => void,
  limiter: RateLimiter | undefined,
): Promise<string> {
  if (segmentCount(plan.outputSize, plan.segmentSize) === 1) return putWhole(plan, target, limiter);
  const { s3, bucket, key } = target;
  const created = await s3.send(
    new CreateMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      StorageClass: target.storageClass as StorageClass,
      Metadata: target.metadata,
      ContentType: 'application/octet-stream',
      ChecksumAlgorithm: 'SHA256',
    }),
  );
  const uploadId = created.UploadId;
  if (uploadId === undefined) throw new Error('CreateMultipartUpload answered without an upload id');
  started(uploadId);
  try {
    const partDigests = await uploadParts(plan, target, uploadId, limiter);
    const checksum = compositeChecksum(partDigests.map((part) => part.digest));
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: partDigests.map((part) => part.completed) },
      }),
    );
    await checkReadBack(target, plan, checksum);
    return checksum;
  } catch (failure) {
    await abortUpload(s3, bucket, key, uploadId);
    throw failure;
  }
}

/** An archive of one segment: one PutObject, its SHA-256 checksum that of the whole object. */
async function putWhole(plan: DownloadPlan, target: S3Object, limiter: RateLimiter | undefined): Promise<string> {
  let checksum: string | undefined;
  for await (const verified of verifiedSegments(plan, segmentsFrom(0, plan.outputSize, plan.segmentSize))) {
    if (verified.root.toString('hex') !== plan.expectedTreeHash.toLowerCase()) {
      throw new VerificationError(`${quote(plan.label)}: tree hash of the download ${verified.root.toString('hex')} differs from Glacier's ${plan.expectedTreeHash}; nothing was sent to ${quote(target.key)}`);
    }
    // A copy: the segment's buffer is shared with the hash worker and goes back to its pool.
    const body = Buffer.from(verified.bytes);
    checksum = createHash('sha256').update(body).digest('base64');
    await limiter?.take(body.length);
    await target.s3.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        Body: body,
        StorageClass: target.storageClass as StorageClass,
        Metadata: target.metadata,
        ContentType: 'application/octet-stream',
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: checksum,
      }),
    );
  }
  if (checksum === undefined) throw new VerificationError(`${quote(plan.label)}: the job's output held no segment`);
  await checkReadBack(target, plan, checksum);
  return checksum;
}

interface UploadedPart {
  digest: Buffer;
  completed: CompletedPart;
}

async function uploadParts(plan: DownloadPlan, target: S3Object, uploadId: string, limiter: RateLimiter | undefined): Promise<UploadedPart[]> {
  const pool = new BufferPool(Math.min(plan.segmentSize, plan.outputSize), UPLOAD_CONCURRENCY);
  const combiner = new TreeHashCombiner();
  const parts: UploadedPart[] = [];
  const inFlight = new Set<Promise<void>>();
  const progress = progressLine(plan.label, plan.outputSize);
  let failure: unknown;
  const sendPart = async (body: Buffer, partNumber: number): Promise<void> => {
    const digest = createHash('sha256').update(body).digest();
    const checksum = digest.toString('base64');
    try {
      await limiter?.take(body.length);
      const answer = await target.s3.send(
        new UploadPartCommand({ Bucket: target.bucket, Key: target.key, UploadId: uploadId, PartNumber: partNumber, Body: body, ChecksumAlgorithm: 'SHA256', ChecksumSHA256: checksum }),
      );
      if (answer.ChecksumSHA256 !== undefined && answer.ChecksumSHA256 !== checksum) {
        throw new VerificationError(`S3 stored part ${partNumber} of ${quote(target.key)} with checksum ${answer.ChecksumSHA256}, not ${checksum}`);
      }
      parts[partNumber - 1] = { digest, completed: { PartNumber: partNumber, ETag: answer.ETag, ChecksumSHA256: checksum } };
      progress.add(body.length);
    } finally {
      pool.release(body);
    }
  };
  try {
    for await (const verified of verifiedSegments(plan, segmentsFrom(0, plan.outputSize, plan.segmentSize))) {
      if (failure !== undefined) break;
      combiner.push(verified.root);
      const copy = await pool.acquire();
      verified.bytes.copy(copy);
      const task = sendPart(copy.subarray(0, verified.bytes.length), verified.segment.index + 1).catch((error: unknown) => {
        failure ??= error;
      });
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
    }
    await Promise.all(inFlight);
  } finally {
    progress.done();
  }
  if (failure !== undefined) throw failure;
  const root = combiner.digest().toString('hex');
  if (root !== plan.expectedTreeHash.toLowerCase()) {
    throw new VerificationError(`${quote(plan.label)}: tree hash of the download ${root} differs from Glacier's ${plan.expectedTreeHash}; the upload to ${quote(target.key)} was abandoned`);
  }
  return parts;
}

/** The object as S3 now holds it must be exactly what was sent. */
async function checkReadBack(target: S3Object, plan: DownloadPlan, checksum: string): Promise<void> {
  const head = await target.s3.send(new HeadObjectCommand({ Bucket: target.bucket, Key: target.key, ChecksumMode: 'ENABLED' }));
  const problems: string[] = [];
  if (head.ContentLength !== plan.outputSize) problems.push(`size ${head.ContentLength} instead of ${plan.outputSize}`);
  if (!sameChecksum(head.ChecksumSHA256, checksum)) problems.push(`SHA-256 checksum ${head.ChecksumSHA256 ?? 'missing'} instead of ${checksum}`);
  for (const [name, value] of Object.entries(target.metadata)) {
    if (head.Metadata?.[name] !== value) problems.push(`metadata ${name} ${JSON.stringify(head.Metadata?.[name] ?? null)} instead of ${JSON.stringify(value)}`);
  }
  // HEAD names no class for STANDARD.
  const storedClass = head.StorageClass ?? 'STANDARD';
  if (storedClass !== target.storageClass) problems.push(`storage class ${storedClass} instead of ${target.storageClass}`);
  if (problems.length > 0) throw new VerificationError(`s3://${target.bucket}/${target.key} read back wrong: ${problems.join('; ')}`);
}

/** S3 writes a multipart checksum as BASE64-N; some S3 servers leave out the -N. */
export function sameChecksum(readBack: string | undefined, expected: string): boolean {
  if (readBack === undefined) return false;
  return readBack === expected || (!readBack.includes('-') && readBack === expected.slice(0, expected.lastIndexOf('-')));
}

/** Gone already (completed or aborted) is as good as aborted. */
export async function abortUpload(s3: S3, bucket: string, key: string, uploadId: string): Promise<void> {
  try {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
  } catch (failure) {
    if ((failure as { name?: string }).name !== 'NoSuchUpload') throw failure;
  }
}
