// Feeds a whole input to a hasher, reading the next block while the previous one is hashed.
import type { ByteSource } from './byteSource.js';

const BLOCK_BYTES = 2 * 1024 * 1024;

export async function hashSource(source: ByteSource, update: (bytes: Buffer) => void): Promise<number> {
  const blocks = [Buffer.allocUnsafeSlow(BLOCK_BYTES), Buffer.allocUnsafeSlow(BLOCK_BYTES)] as const;
  let total = 0;
  let which = 0;
  let reading = source.read(blocks[which], 0, BLOCK_BYTES);
  for (;;) {
    const count = await reading;
    if (count === 0) return total;
    const block = blocks[which];
    which ^= 1;
    reading = source.read(blocks[which], 0, BLOCK_BYTES);
    update(block.subarray(0, count));
    total += count;
  }
}
