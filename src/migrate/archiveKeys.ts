// The key (S3) or relative path (directory) an archive is stored under: its name when the
// name can be one, else a key that keeps it apart from every other archive by holding its
// id. The manifest records why a key differs from the name.
import type { ArchiveRecord } from '../cache/records.js';

export type KeyReason = 'empty-name' | 'invalid-name' | 'shared-name';

export interface ArchiveKey {
  key: string;
  reason?: KeyReason;
}

const CONTROL = /[\x00-\x1f\x7f]/;
const MAX_S3_KEY_BYTES = 1024;
const MAX_PATH_SEGMENT_BYTES = 255;

/** S3 accepts nearly any UTF-8, but keys with these break listings and most tools. */
function isUsableS3Key(key: string): boolean {
  if (CONTROL.test(key) || Buffer.byteLength(key) > MAX_S3_KEY_BYTES) return false;
  return key.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

function idKey(prefix: string, archive: ArchiveRecord): string {
  return `${prefix}glacier-archive-${archive.id}`;
}

/** `shared`: another live archive of the vault holds the same name. */
export function s3KeyFor(prefix: string, archive: ArchiveRecord, shared: boolean, reserved: (key: string) => boolean): ArchiveKey {
  if (archive.name === '') return { key: idKey(prefix, archive), reason: 'empty-name' };
  const plain = `${prefix}${archive.name}`;
  if (!isUsableS3Key(plain) || reserved(plain)) return { key: idKey(prefix, archive), reason: 'invalid-name' };
  if (!shared) return { key: plain };
  const apart = `${plain}.glacier-${archive.id}`;
  return { key: isUsableS3Key(apart) ? apart : idKey(prefix, archive), reason: 'shared-name' };
}

/**
 * A name made into a relative path: '/' separates directories, empty segments are dropped
 * (so never an absolute path), '.' and '..' and control bytes are escaped as %XX, and '%'
 * itself too, so that two names never meet in one path.
 */
export function safeRelativePath(name: string): string | undefined {
  const segments = name
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      if (segment === '.' || segment === '..') return segment.replaceAll('.', '%2E');
      return segment.replace(/[%\x00-\x1f\x7f]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
    });
  if (segments.length === 0 || segments.some((segment) => Buffer.byteLength(segment) > MAX_PATH_SEGMENT_BYTES)) return undefined;
  return segments.join('/');
}

export function dirPathFor(archive: ArchiveRecord, shared: boolean): ArchiveKey {
  if (archive.name === '') return { key: idKey('', archive), reason: 'empty-name' };
  const safe = safeRelativePath(archive.name);
  if (safe === undefined) return { key: idKey('', archive), reason: 'invalid-name' };
  if (!shared) return safe === archive.name ? { key: safe } : { key: safe, reason: 'invalid-name' };
  const apart = `${safe}.glacier-${archive.id}`;
  const lastSegment = apart.slice(apart.lastIndexOf('/') + 1);
  return { key: Buffer.byteLength(lastSegment) <= MAX_PATH_SEGMENT_BYTES ? apart : idKey('', archive), reason: 'shared-name' };
}
