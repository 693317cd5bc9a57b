// Opaque identifiers shaped like Glacier's: URL-safe base64 characters, random.
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function randomId(length: number): string {
  const bytes = randomBytes(length);
  let id = '';
  for (let i = 0; i < length; i++) id += ALPHABET[bytes[i]! & 63];
  return id;
}

export const ARCHIVE_ID_LENGTH = 138;
const OFFSET_DIGITS = 10;

/**
 * Archive ids end with the byte offset of the archive's record in the vault's archive
 * log, so a lookup among millions of archives is one positional read, with no index in
 * memory. The random head keeps ids unguessable; the record still names the id, so a
 * forged offset finds a record that does not match.
 */
export function archiveIdFor(logOffset: number): string {
  let tail = '';
  let rest = logOffset;
  for (let i = 0; i < OFFSET_DIGITS; i++) {
    tail = ALPHABET[rest % 64] + tail;
    rest = Math.floor(rest / 64);
  }
  return randomId(ARCHIVE_ID_LENGTH - OFFSET_DIGITS) + tail;
}

export function logOffsetOf(archiveId: string): number | undefined {
  if (archiveId.length !== ARCHIVE_ID_LENGTH) return undefined;
  let offset = 0;
  for (const char of archiveId.slice(-OFFSET_DIGITS)) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return undefined;
    offset = offset * 64 + digit;
  }
  return offset;
}

export const newUploadId = (): string => randomId(92);
export const newJobId = (): string => randomId(92);
export const newRequestId = (): string => randomId(47);
