// Cuts an input into the parts of a multipart upload in one pass: each part is one buffer
// of exactly `partSize` bytes (the last one shorter) taken from a pool, filled in place,
// and hashed as it fills (tree hash and plain SHA-256: UploadPart needs both,
// api-upload-part.md). Reading waits for a free buffer, so memory stays at the pool's size.
import type { BufferPool } from './bufferPool.js';
import type { ByteSource } from './byteSource.js';
import { TreeHasher } from './treeHash.js';

export interface Part {
  index: number;
  /** Offset of the first byte in the whole input. */
  offset: number;
  /** A view of a pool buffer: give it back with pool.release(body) once sent. */
  body: Buffer;
  /** Plain SHA-256 of body. */
  sha256: Buffer;
  treeHash: Buffer;
  /** No byte follows this part. */
  last: boolean;
}

/** Bytes read ahead past a full part to learn whether the input goes on. */
const PEEK_BYTES = 64 * 1024;
/** One read request: large enough for few system calls, small enough to overlap with hashing. */
const READ_BYTES = 1024 * 1024;

/**
 * The parts of `source`, in order. An empty input yields one empty last part, so the
 * caller sees "empty" without a special case. Every yielded body must be released.
 */
export async function* chunkParts(source: ByteSource, pool: BufferPool): AsyncGenerator<Part> {
  const partSize = pool.bufferSize;
  const peek = Buffer.allocUnsafe(Math.min(PEEK_BYTES, partSize));
  let carried = 0;
  let offset = 0;
  for (let index = 0; ; index++) {
    const buffer = await pool.acquire();
    const hasher = new TreeHasher({ plain: true });
    let filled = 0;
    if (carried > 0) {
      peek.copy(buffer, 0, 0, carried);
      hasher.update(buffer.subarray(0, carried));
      filled = carried;
      carried = 0;
    }
    let ended = false;
    // The next read is under way (in the thread pool, for a file) while the bytes of the
    // previous one are hashed here: reading and hashing overlap on two cores.
    let reading = filled < partSize ? source.read(buffer, filled, Math.min(READ_BYTES, partSize - filled)) : undefined;
    while (reading !== undefined) {
      const count = await reading;
      if (count === 0) {
        ended = true;
        break;
      }
      const start = filled;
      filled += count;
      reading = filled < partSize ? source.read(buffer, filled, Math.min(READ_BYTES, partSize - filled)) : undefined;
      hasher.update(buffer.subarray(start, filled));
    }
    if (!ended) {
      carried = await source.read(peek, 0, peek.length);
      ended = carried === 0;
    }
    const treeHash = hasher.digest();
    yield { index, offset, body: buffer.subarray(0, filled), sha256: hasher.plainDigest(), treeHash, last: ended };
    offset += filled;
    if (ended) return;
  }
}
