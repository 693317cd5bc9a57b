// Feeds a whole input to a hasher, reading the next block while the previous one is hashed.
import type { ByteSource } from './byteSource.js';

const BLOCK_BYTES = 2 * 1024 * 1024;

export async function hashSource(source: ByteSource, update: (bytes: Buffer) => void): Promise<number> {
  const blocks = [Buffer.allocUnsafeSlow(BLOCK_BYTES), Buffer.allocUnsafeSlow(BLOCK_BYTES)] as const;
  let total = 0;
  let [block, next] = blocks;
  let reading = source.read(block, 0, BLOCK_BYTES);
  for (;;) {
    const count = await reading;
    if (count === 0) return total;
    reading = source.read(next, 0, BLOCK_BYTES);
    update(block.subarray(0, count));
    [block, next] = [next, block];
    total += count;
  }
}
