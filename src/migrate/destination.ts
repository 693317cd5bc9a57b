// Where `vault migrate` puts the archives: an S3 bucket (s3://BUCKET[/PREFIX]) or an
// existing local directory. Checked before any network work.
import { realpathSync, statSync } from 'node:fs';
import { quote } from '../report/quote.js';
import { UsageError } from '../errors.js';

export type MigrationDestination = { kind: 's3'; bucket: string; /** '' or ending in '/' */ prefix: string; id: string } | { kind: 'dir'; path: string; id: string };

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseDestination(text: string): MigrationDestination {
  if (text.startsWith('s3://')) {
    const rest = text.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    const prefixText = slash === -1 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
    if (!BUCKET_NAME.test(bucket) || bucket.includes('..')) {
      throw new UsageError(`${quote(bucket)} is not a valid S3 bucket name (3 to 63 characters: a-z, 0-9, '.', '-')`);
    }
    if (prefixText.startsWith('/') || /[\x00-\x1f\x7f]/.test(prefixText)) throw new UsageError(`S3 prefix ${quote(prefixText)} must not start with '/' or hold control characters`);
    const prefix = prefixText === '' ? '' : `${prefixText}/`;
    return { kind: 's3', bucket, prefix, id: `s3://${bucket}/${prefix}` };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) throw new UsageError(`destination ${quote(text)}: only s3:// URLs and local directories are supported`);
  let isDirectory = false;
  try {
    isDirectory = statSync(text).isDirectory();
  } catch {
    // reported below
  }
  if (!isDirectory) throw new UsageError(`destination ${quote(text)} is not an existing directory (create it first) nor an s3://BUCKET[/PREFIX] URL`);
  const path = realpathSync(text);
  return { kind: 'dir', path, id: `dir:${path}` };
}

export function describeDestination(destination: MigrationDestination): string {
  return destination.kind === 's3' ? destination.id : destination.path;
}
