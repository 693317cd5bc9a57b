// The emulator's own SHA-256 tree hash (checksum-calculations.md), written apart from the
// client's: a double that verified uploads with the client's code would let one mistake
// in it pass unseen. Leaves are the SHA-256 of each 1 MiB; a level's nodes are hashed in
// adjacent pairs, an odd last node moving up as it is, until one root is left.
import { createHash, type Hash } from 'node:crypto';

export const MiB = 1024 * 1024;

function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** The root over nodes of one level (1 MiB leaf hashes, or roots of equal power-of-two
 * parts, the last maybe short); for no nodes, the SHA-256 of nothing. */
export function rootOfNodes(nodes: readonly Buffer[]): Buffer {
  if (nodes.length === 0) return sha256();
  let level = nodes;
  while (level.length > 1) {
    const above: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) above.push(i + 1 < level.length ? sha256(level[i]!, level[i + 1]!) : level[i]!);
    level = above;
  }
  return level[0]!;
}

/** Hashes a stream of bytes as it passes: its 1 MiB leaf hashes and its plain SHA-256. */
export class LeafHasher {
  readonly #leaves: Buffer[] = [];
  readonly #plain = createHash('sha256');
  #leaf: Hash = createHash('sha256');
  #leafFill = 0;
  #bytes = 0;

  update(chunk: Buffer): void {
    this.#plain.update(chunk);
    this.#bytes += chunk.length;
    for (let offset = 0; offset < chunk.length;) {
      const take = Math.min(MiB - this.#leafFill, chunk.length - offset);
      this.#leaf.update(chunk.subarray(offset, offset + take));
      this.#leafFill += take;
      offset += take;
      if (this.#leafFill === MiB) this.#endLeaf();
    }
  }

  get bytes(): number {
    return this.#bytes;
  }

  #endLeaf(): void {
    this.#leaves.push(this.#leaf.digest());
    this.#leaf = createHash('sha256');
    this.#leafFill = 0;
  }

  /** Call once, after the last byte. */
  finish(): { leaves: Buffer; treeHash: string; sha256: string } {
    if (this.#leafFill > 0) this.#endLeaf();
    return { leaves: Buffer.concat(this.#leaves), treeHash: rootOfNodes(this.#leaves).toString('hex'), sha256: this.#plain.digest('hex') };
  }
}

/**
 * Whether Glacier gives a tree hash for the range [start, end) of data of `size` bytes:
 * the range must be one node of the tree, i.e. start a multiple of 2^k MiB and the range
 * 2^k MiB long, or shorter only where the data ends (checksum-calculations-range.md).
 */
export function isTreeHashAligned(start: number, end: number, size: number): boolean {
  if (start < 0 || end <= start || end > size || start % MiB !== 0) return false;
  const leaves = Math.ceil((end - start) / MiB);
  let span = 1;
  while (span < leaves) span *= 2;
  if ((start / MiB) % span !== 0) return false;
  return end - start === span * MiB || end === size;
}
