// One archive whose retrieval job Succeeded, taken through the verified download path
// straight into the destination: a partial file renamed when verified, or an S3 multipart
// upload completed when verified and then read back.
import type { Reporter } from '../report/reporter.js';
import type { GlacierJobDescription } from '@aws-sdk/client-glacier';
import type { Glacier } from '../aws/glacier.js';
import type { S3 } from '../aws/s3.js';
import type { GlacierCache } from '../cache/glacierCache.js';
import type { ArchiveRecord, VaultScope } from '../cache/records.js';
import { downloadToFile } from '../download/downloadToFile.js';
import { FailureError } from '../errors.js';
import { expiredAsJobExpired, jobDownloadPlan } from '../retrieve/downloadJob.js';
import { DEFAULT_SEGMENT_SIZE, MAX_SEGMENT_SIZE } from '../retrieve/segmentSize.js';
import type { RateLimiter } from '../streams/rateLimiter.js';
import { objectMetadata, type ArchiveTarget } from './archiveTarget.js';
import type { MigrationDestination } from './destination.js';
import { prepareParents } from './directoryTarget.js';
import { abortStaleUploads } from './presence.js';
import { uploadVerifiedToS3, type UploadSession } from './s3Upload.js';

export interface DeliveryContext {
  glacier: Glacier;
  cache: GlacierCache;
  scope: VaultScope;
  destination: MigrationDestination;
  s3: S3 | undefined;
  storageClass: string;
  /** Messages and the progress line. */
  reporter: Reporter;
  /** Ends the downloads. */
  signal: AbortSignal;
  download?: RateLimiter;
  upload?: RateLimiter;
}

/** S3 takes at most 10,000 parts; one verified segment is one part. */
const MAX_S3_PARTS = 10_000;

export function segmentSizeFor(size: number, destination: MigrationDestination): number {
  let segmentSize = DEFAULT_SEGMENT_SIZE;
  if (destination.kind === 's3') while (segmentSize < MAX_SEGMENT_SIZE && Math.ceil(size / segmentSize) > MAX_S3_PARTS) segmentSize *= 2;
  return segmentSize;
}

/** Returns the destination's checksum of the bytes (S3's SHA-256, or the file's tree hash). */
export async function deliverArchive(context: DeliveryContext, archive: ArchiveRecord, target: ArchiveTarget, job: GlacierJobDescription): Promise<string> {
  const { destination, cache, scope } = context;
  const size = job.ArchiveSizeInBytes ?? 0;
  const segmentSize = segmentSizeFor(size, destination);
  if (destination.kind === 's3' && Math.ceil(size / segmentSize) > MAX_S3_PARTS) {
    throw new FailureError(`${target.location}: ${size} bytes need more than ${MAX_S3_PARTS} parts of ${segmentSize} bytes`);
  }
  const label = archive.name !== '' ? archive.name : `id:${archive.id}`;
  const plan = jobDownloadPlan(context.glacier, scope.vault, job, segmentSize, label, context, context.download);
  let checksum = plan.expectedTreeHash.toLowerCase();
  await expiredAsJobExpired(plan.output.jobId, async () => {
    if (destination.kind === 'dir') {
      await downloadToFile(plan, await prepareParents(destination.path, target.key));
      return;
    }
    const s3 = context.s3 as S3;
    const known = cache.migration(scope, destination.id, archive.id);
    const resumable = known?.status === 'uploading' && known.key === target.key ? known.uploadId : undefined;
    await abortStaleUploads(s3, destination.bucket, target.key, resumable);
    const object = { s3, bucket: destination.bucket, key: target.key, storageClass: context.storageClass, metadata: objectMetadata(archive, target) };
    const session: UploadSession = {
      ...(resumable !== undefined ? { resume: { uploadId: resumable, parts: [...cache.migrationParts(scope, resumable)] } } : {}),
      started: (uploadId) => cache.putMigration(scope, destination.id, archive.id, { status: 'uploading', uploadId, key: target.key, at: Date.now() }),
      partStored: (uploadId, part) => cache.putMigrationPart(scope, uploadId, part),
      ended: (uploadId) => cache.forgetMigrationParts(scope, uploadId),
    };
    checksum = await uploadVerifiedToS3(plan, object, session, context.upload);
  });
  return checksum;
}
