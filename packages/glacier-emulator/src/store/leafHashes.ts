// The 1 MiB leaf hashes of stored data, kept in a side file of 32 bytes per MiB so the
// tree hash of any aligned range comes from the leaves alone (checksum-calculations.md).
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { LeafHasher, MiB, rootOfNodes } from '../treeHash.js';

export const LEAF_HASH_BYTES = 32;

/** Passes bytes through unchanged while hashing them: 1 MiB leaves and plain SHA-256. */
export class HashingPassThrough extends Transform {
  readonly #hasher = new LeafHasher();

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hasher.update(chunk);
    callback(null, chunk);
  }

  get bytes(): number {
    return this.#hasher.bytes;
  }

  /** Call once, after the stream has ended. */
  finish(): { leaves: Buffer; treeHash: string; sha256: string } {
    return this.#hasher.finish();
  }
}

/** Tree hash of [start, end) from a leaves file; start must be MiB aligned. */
export async function treeHashFromLeaves(leavesPath: string, start: number, end: number): Promise<string> {
  const first = Math.floor(start / MiB);
  const count = Math.ceil(end / MiB) - first;
  const buffer = Buffer.alloc(count * LEAF_HASH_BYTES);
  const file = await open(leavesPath, 'r');
  try {
    const { bytesRead } = await file.read(buffer, 0, buffer.length, first * LEAF_HASH_BYTES);
    if (bytesRead !== buffer.length) throw new Error(`leaf hashes missing in ${leavesPath}`);
  } finally {
    await file.close();
  }
  const leaves = Array.from({ length: count }, (_, i) => buffer.subarray(i * LEAF_HASH_BYTES, (i + 1) * LEAF_HASH_BYTES));
  return rootOfNodes(leaves).toString('hex');
}
