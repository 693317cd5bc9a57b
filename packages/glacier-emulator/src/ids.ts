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
  const head = randomId(ARCHIVE_ID_LENGTH - OFFSET_DIGITS);
  const digits: number[] = [];
  let rest = logOffset;
  for (let i = 0; i < OFFSET_DIGITS; i++) {
    digits.unshift(rest % 64);
    rest = Math.floor(rest / 64);
  }
  // Each offset digit is shifted by a character of the random head, so ids do not all
  // end alike.
  return head + digits.map((digit, i) => ALPHABET[(digit + ALPHABET.indexOf(head[head.length - 1 - 7 * i]!)) % 64]).join('');
}

export function logOffsetOf(archiveId: string): number | undefined {
  if (archiveId.length !== ARCHIVE_ID_LENGTH) return undefined;
  let offset = 0;
  const tail = archiveId.slice(-OFFSET_DIGITS);
  for (let i = 0; i < OFFSET_DIGITS; i++) {
    const shifted = ALPHABET.indexOf(tail[i]!);
    const shift = ALPHABET.indexOf(archiveId[ARCHIVE_ID_LENGTH - OFFSET_DIGITS - 1 - 7 * i]!);
    if (shifted < 0 || shift < 0) return undefined;
    offset = offset * 64 + ((shifted - shift + 64) % 64);
  }
  return offset;
}

export const newUploadId = (): string => randomId(92);
export const newJobId = (): string => randomId(92);
export const newRequestId = (): string => randomId(47);
