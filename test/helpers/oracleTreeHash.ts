// The SHA-256 tree hash computed with @noble/hashes, independent of the code under test
// (checksum-calculations.md): 1 MiB leaves, adjacent pairs hashed, an odd node moved up.
import { sha256 } from '@noble/hashes/sha2.js';

const LEAF = 1024 * 1024;

export function oracleTreeHash(data: Uint8Array): string {
  let level: Uint8Array[] = [];
  for (let offset = 0; offset < data.length; offset += LEAF) level.push(sha256(data.subarray(offset, offset + LEAF)));
  if (level.length === 0) level.push(sha256(new Uint8Array(0)));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i] as Uint8Array;
      const right = level[i + 1];
      next.push(right === undefined ? left : sha256(Buffer.concat([left, right])));
    }
    level = next;
  }
  return Buffer.from(level[0] as Uint8Array).toString('hex');
}
