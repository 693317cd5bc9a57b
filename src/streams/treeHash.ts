// SHA-256 tree hash as Glacier defines it (checksum-calculations.md): hash every 1 MiB
// leaf, then hash adjacent pairs level by level; an odd node at the end of a level moves
// up unchanged. Both classes keep one pending node per level, so memory is O(log n)
// whatever the archive size.
import { createHash } from 'node:crypto';

export const MiB = 1024 * 1024;

function hashPair(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(left).update(right).digest();
}

/**
 * Combines, left to right, nodes that all sit at one level of a tree hash: 1 MiB leaf
 * hashes, or the roots of equal power-of-two-MiB parts (the last one may be short).
 */
export class TreeHashCombiner {
  readonly #pending: (Buffer | undefined)[] = [];
  #count = 0;

  push(node: Buffer): void {
    let carry = node;
    let level = 0;
    for (;;) {
      const waiting = this.#pending[level];
      if (waiting === undefined) {
        this.#pending[level] = carry;
        break;
      }
      this.#pending[level] = undefined;
      carry = hashPair(waiting, carry);
      level++;
    }
    this.#count++;
  }

  get count(): number {
    return this.#count;
  }

  /** The root; for no nodes at all, the SHA-256 of the empty input. */
  digest(): Buffer {
    let carry: Buffer | undefined;
    for (const waiting of this.#pending) {
      if (waiting === undefined) continue;
      carry = carry === undefined ? waiting : hashPair(waiting, carry);
    }
    return carry ?? createHash('sha256').digest();
  }
}

/**
 * Incremental tree hash of a byte stream. `update` takes buffers of any size; leaves are
 * cut at 1 MiB boundaries of the whole input. Optionally also computes the plain SHA-256
 * of the same bytes in the same pass (UploadPart needs both).
 */
export class TreeHasher {
  readonly #leaves = new TreeHashCombiner();
  readonly #plain: ReturnType<typeof createHash> | undefined;
  #leaf = createHash('sha256');
  #leafBytes = 0;
  #bytes = 0;

  readonly #onLeaf: ((leaf: Buffer) => void) | undefined;

  /** `onLeaf` sees each 1 MiB leaf hash in order (a store that keeps them, say). */
  constructor(options: { plain?: boolean; onLeaf?: (leaf: Buffer) => void } = {}) {
    this.#plain = options.plain === true ? createHash('sha256') : undefined;
    this.#onLeaf = options.onLeaf;
  }

  update(data: Uint8Array): this {
    this.#plain?.update(data);
    this.#bytes += data.length;
    let offset = 0;
    while (offset < data.length) {
      const take = Math.min(MiB - this.#leafBytes, data.length - offset);
      this.#leaf.update(offset === 0 && take === data.length ? data : data.subarray(offset, offset + take));
      this.#leafBytes += take;
      offset += take;
      if (this.#leafBytes === MiB) this.#closeLeaf();
    }
    return this;
  }

  get bytes(): number {
    return this.#bytes;
  }

  #closeLeaf(): void {
    const leaf = this.#leaf.digest();
    this.#onLeaf?.(leaf);
    this.#leaves.push(leaf);
    this.#leaf = createHash('sha256');
    this.#leafBytes = 0;
  }

  /** The tree hash root. Call once. */
  digest(): Buffer {
    if (this.#leafBytes > 0) this.#closeLeaf();
    return this.#leaves.digest();
  }

  /** The plain SHA-256; only when constructed with `{ plain: true }`. Call once. */
  plainDigest(): Buffer {
    if (this.#plain === undefined) throw new Error('TreeHasher was not asked for the plain SHA-256');
    return this.#plain.digest();
  }
}

/** Tree hash of bytes held in memory (one part, one request body). */
export function treeHashOf(data: Uint8Array): Buffer {
  return new TreeHasher().update(data).digest();
}

/**
 * Root of an archive from the roots of its parts, in order. Correct only for parts of
 * one power-of-two-MiB size, all full but the last: then each part root is a node of the
 * archive's tree (checksum-calculations.md).
 */
export function treeHashOfParts(partRoots: Iterable<Buffer>): Buffer {
  const combiner = new TreeHashCombiner();
  for (const root of partRoots) combiner.push(root);
  return combiner.digest();
}

/**
 * Whether [start, end) is a range for which Glacier returns a tree hash: aligned to a
 * power-of-two number of MiB, ending at that size or at the end of the data
 * (checksum-calculations-range.md).
 */
export function isTreeHashAligned(start: number, end: number, totalSize: number): boolean {
  if (start < 0 || end <= start || end > totalSize) return false;
  if (start % MiB !== 0) return false;
  const span = end - start;
  for (let size = MiB; size <= Number.MAX_SAFE_INTEGER / 2; size *= 2) {
    if (start % size !== 0) return false;
    if (span === size || (span < size && end === totalSize)) return true;
    if (span < size) return false;
  }
  return false;
}
