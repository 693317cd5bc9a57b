// Whether the destination already holds an archive: an S3 object whose metadata names the
// same tree hash and whose size matches, or a file of the same size and tree hash. What
// holds other bytes is a conflict, never overwritten.
import { HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { awsHttpStatus, isAwsErrorNamed } from '../aws/describeAwsError.js';
import type { S3 } from '../aws/s3.js';
import type { ArchiveRecord } from '../cache/records.js';
import type { ArchiveTarget } from './archiveTarget.js';
import type { MigrationDestination } from './destination.js';
import { presenceInDirectory } from './directoryTarget.js';
import { abortUpload } from './s3Upload.js';

export type Presence = { state: 'absent' } | { state: 'present'; checksum: string } | { state: 'conflict'; why: string };

export async function presenceAt(destination: MigrationDestination, s3: S3 | undefined, archive: ArchiveRecord, target: ArchiveTarget): Promise<Presence> {
  if (destination.kind === 'dir') {
    const found = await presenceInDirectory(destination.path, target.key, archive.size, archive.treeHash);
    return found.state === 'present' ? { state: 'present', checksum: (archive.treeHash as string).toLowerCase() } : found;
  }
  let head;
  try {
    head = await (s3 as S3).send(new HeadObjectCommand({ Bucket: destination.bucket, Key: target.key, ChecksumMode: 'ENABLED' }));
  } catch (failure) {
    if (isAwsErrorNamed(failure, 'NotFound', 'NoSuchKey') || awsHttpStatus(failure) === 404) return { state: 'absent' };
    throw failure;
  }
  const storedHash = head.Metadata?.['glacier-tree-hash'];
  if (archive.treeHash === undefined || storedHash !== archive.treeHash.toLowerCase() || head.ContentLength !== archive.size) {
    return { state: 'conflict', why: `${target.location} exists and holds other bytes (tree hash ${storedHash ?? 'unknown'}, ${head.ContentLength} bytes); not overwritten` };
  }
  return { state: 'present', checksum: head.ChecksumSHA256 ?? '' };
}

/** Multipart uploads to this very key left by a run that was cut off, but `keep`: aborted, not orphaned. */
export async function abortStaleUploads(s3: S3, bucket: string, key: string, keep: string | undefined): Promise<void> {
  const listing = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }));
  for (const upload of listing.Uploads ?? []) {
    if (upload.Key === key && upload.UploadId !== undefined && upload.UploadId !== keep) await abortUpload(s3, bucket, key, upload.UploadId);
  }
}
