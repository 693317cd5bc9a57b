// Where one archive goes at the destination, and what S3 object metadata says of it.
import type { GlacierCache } from '../cache/glacierCache.js';
import type { ArchiveRecord, VaultScope } from '../cache/records.js';
import { dirPathFor, s3KeyFor, type KeyReason } from './archiveKeys.js';
import type { MigrationDestination } from './destination.js';

export interface ArchiveTarget {
  /** The S3 key, or the path relative to the directory. */
  key: string;
  reason?: KeyReason;
  /** s3://BUCKET/KEY or the absolute path, for messages and the manifest. */
  location: string;
}

/** Keys that name manifests beside the data: no archive is stored there. */
export const MANIFEST_KEY_PREFIX = 'glacier-manifest-';

export function archiveTarget(cache: GlacierCache, scope: VaultScope, destination: MigrationDestination, archive: ArchiveRecord): ArchiveTarget {
  const shared = archive.name !== '' && cache.findByName(scope, archive.name).length > 1;
  if (destination.kind === 's3') {
    const chosen = s3KeyFor(destination.prefix, archive, shared, (key) => key.startsWith(`${destination.prefix}${MANIFEST_KEY_PREFIX}`));
    return { ...chosen, location: `s3://${destination.bucket}/${chosen.key}` };
  }
  const chosen = dirPathFor(archive, shared);
  return { ...chosen, location: `${destination.path}/${chosen.key}` };
}

/** S3 user metadata (x-amz-meta-*): header values, so only printable ASCII goes as is. */
export function objectMetadata(archive: ArchiveRecord, target: ArchiveTarget): Record<string, string> {
  const metadata: Record<string, string> = { 'glacier-archive-id': archive.id };
  if (archive.treeHash !== undefined) metadata['glacier-tree-hash'] = archive.treeHash.toLowerCase();
  if (archive.creationDate !== undefined) metadata['glacier-creation-date'] = archive.creationDate;
  if (target.reason !== undefined && archive.name !== '') metadata['glacier-description'] = headerSafe(archive.name);
  return metadata;
}

/** Percent-encodes '%', spaces and anything outside printable ASCII; decodeURIComponent reads it back. */
function headerSafe(text: string): string {
  return text.replace(/[^\x21-\x24\x26-\x7e]/gu, (ch) => encodeURIComponent(ch));
}
