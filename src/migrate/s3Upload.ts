// A Succeeded job's output into one S3 object: each segment, once verified against
// Glacier's tree hash, becomes one part of a multipart upload sent with its SHA-256
// additional checksum (an archive of one segment is one PutObject with its SHA-256). Each
// part sent is remembered, so that an upload cut off resumes after the parts S3 holds. The upload is completed only when the whole archive's tree hash
// matched, and the object counts only once its size, checksum and metadata are read back.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type StorageClass,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { isAwsErrorNamed } from '../aws/describeAwsError.js';
import type { S3 } from '../aws/s3.js';
import type { MigrationPart } from '../cache/records.js';
import { quote } from '../report/quote.js';
import { VerificationError } from '../errors.js';
import type { DownloadPlan } from '../download/plan.js';
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

/** How an upload is remembered, so that one cut off (even by kill -9) resumes. */
export interface UploadSession {
  /** An upload of this object begun earlier, and the parts it was told of. */
  resume?: { uploadId: string; parts: MigrationPart[] };
  started(uploadId: string): void;
  partStored(uploadId: string, part: MigrationPart): void;
  /** Completed or abandoned: its parts need not be remembered. */
  ended(uploadId: string): void;
}

/**
 * Uploads `plan`'s output as `target`, resuming `session.resume` after the leading parts
 * that S3 still holds as they were sent. Returns the object's checksum as read back.
 */
export async function uploadVerifiedToS3(plan: DownloadPlan, target: S3Object, session: UploadSession, limiter: RateLimiter | undefined): Promise<string> {
  if (segmentCount(plan.outputSize, plan.segmentSize) === 1) return putWhole(plan, target, limiter);
  const { s3, bucket, key } = target;
  let uploadId: string | undefined;
  let kept: MigrationPart[] = [];
  if (session.resume !== undefined) {
    const held = await partsHeld(s3, bucket, key, session.resume.uploadId);
    if (held !== undefined) {
      uploadId = session.resume.uploadId;
      kept = leadingPartsHeld(session.resume.parts, held);
    }
  }
  if (uploadId === undefined) {
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
    uploadId = created.UploadId;
    if (uploadId === undefined) throw new Error('CreateMultipartUpload answered without an upload id');
    session.started(uploadId);
  }
  const id = uploadId;
  try {
    const parts = await uploadParts(plan, target, id, kept, (part) => session.partStored(id, part), limiter);
    const checksum = compositeChecksum(parts.map((part) => Buffer.from(part.sha256, 'base64')));
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: id,
        MultipartUpload: { Parts: parts.map((part) => ({ PartNumber: part.partNumber, ETag: part.etag, ChecksumSHA256: part.sha256 })) },
      }),
    );
    session.ended(id);
    await checkReadBack(target, plan, checksum);
    return checksum;
  } catch (failure) {
    // Bytes that failed verification abandon the upload; anything else leaves it to resume.
    if (failure instanceof VerificationError) {
      await abortUpload(s3, bucket, key, id);
      session.ended(id);
    }
    throw failure;
  }
}

/** Part number to ETag and size of what S3 holds of an upload; undefined when it is gone. */
async function partsHeld(s3: S3, bucket: string, key: string, uploadId: string): Promise<Map<number, { etag: string; size: number }> | undefined> {
  const held = new Map<number, { etag: string; size: number }>();
  let marker: string | undefined;
  try {
    do {
      const page = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, ...(marker !== undefined ? { PartNumberMarker: marker } : {}) }));
      for (const part of page.Parts ?? []) {
        if (part.PartNumber !== undefined) held.set(part.PartNumber, { etag: part.ETag ?? '', size: part.Size ?? -1 });
      }
      marker = page.IsTruncated === true ? page.NextPartNumberMarker : undefined;
    } while (marker !== undefined);
  } catch (failure) {
    if (isAwsErrorNamed(failure, 'NoSuchUpload')) return undefined;
    throw failure;
  }
  return held;
}

/** The remembered parts from the first on, while S3 holds each as it was sent. */
function leadingPartsHeld(remembered: readonly MigrationPart[], held: Map<number, { etag: string; size: number }>): MigrationPart[] {
  const kept: MigrationPart[] = [];
  for (const part of remembered) {
    const there = held.get(part.partNumber);
    if (part.partNumber !== kept.length + 1 || there === undefined || there.etag !== part.etag || there.size !== part.size) break;
    kept.push(part);
  }
  return kept;
}

/** An archive of one segment: one PutObject, its SHA-256 checksum that of the whole object. */
async function putWhole(plan: DownloadPlan, target: S3Object, limiter: RateLimiter | undefined): Promise<string> {
  let checksum: string | undefined;
  for await (const verified of verifiedSegments(plan, segmentsFrom(0, plan.outputSize, plan.segmentSize))) {
    if (verified.root.toString('hex') !== plan.expectedTreeHash.toLowerCase()) {
      throw new VerificationError(
        `${quote(plan.label)}: tree hash of the download ${verified.root.toString('hex')} differs from Glacier's ${plan.expectedTreeHash}; nothing was sent to ${quote(target.key)}`,
      );
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

/** Sends every segment after `kept` as a part; all the parts, in order. */
async function uploadParts(
  plan: DownloadPlan,
  target: S3Object,
  uploadId: string,
  kept: MigrationPart[],
  stored: (part: MigrationPart) => void,
  limiter: RateLimiter | undefined,
): Promise<MigrationPart[]> {
  const pool = new BufferPool(Math.min(plan.segmentSize, plan.outputSize), UPLOAD_CONCURRENCY);
  const combiner = new TreeHashCombiner();
  const parts: MigrationPart[] = [...kept];
  for (const part of kept) combiner.push(Buffer.from(part.root, 'hex'));
  const inFlight = new Set<Promise<void>>();
  const progress = plan.reporter.progress(quote(plan.label), plan.outputSize, Math.min(kept.length * plan.segmentSize, plan.outputSize));
  // Boxed: the first failure wins, whatever was thrown (even undefined).
  let failure: { cause: unknown } | undefined;
  const sendPart = async (body: Buffer, partNumber: number, root: string): Promise<void> => {
    const sha256 = createHash('sha256').update(body).digest('base64');
    try {
      await limiter?.take(body.length);
      const answer = await target.s3.send(
        new UploadPartCommand({
          Bucket: target.bucket,
          Key: target.key,
          UploadId: uploadId,
          PartNumber: partNumber,
          Body: body,
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: sha256,
        }),
      );
      if (answer.ChecksumSHA256 !== undefined && answer.ChecksumSHA256 !== sha256) {
        throw new VerificationError(`S3 stored part ${partNumber} of ${quote(target.key)} with checksum ${answer.ChecksumSHA256}, not ${sha256}`);
      }
      const part = { partNumber, root, sha256, etag: answer.ETag ?? '', size: body.length };
      parts[partNumber - 1] = part;
      stored(part);
      progress.advance(body.length);
    } finally {
      pool.release(body);
    }
  };
  try {
    for await (const verified of verifiedSegments(plan, segmentsFrom(kept.length, plan.outputSize, plan.segmentSize))) {
      if (failure !== undefined) break;
      combiner.push(verified.root);
      const copy = await pool.acquire();
      verified.bytes.copy(copy);
      const task = sendPart(copy.subarray(0, verified.bytes.length), verified.segment.index + 1, verified.root.toString('hex')).catch((error: unknown) => {
        failure ??= { cause: error };
      });
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
    }
    await Promise.all(inFlight);
  } finally {
    progress.finish();
  }
  if (failure !== undefined) throw failure.cause;
  const root = combiner.digest().toString('hex');
  if (root !== plan.expectedTreeHash.toLowerCase()) {
    throw new VerificationError(
      `${quote(plan.label)}: tree hash of the download ${root} differs from Glacier's ${plan.expectedTreeHash}; the upload to ${quote(target.key)} was abandoned`,
    );
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
    if (!isAwsErrorNamed(failure, 'NoSuchUpload')) throw failure;
  }
}
