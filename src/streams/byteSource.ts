// Where the bytes of an upload or a hash come from, read straight into the caller's
// buffer: a file through its descriptor (no intermediate copy), or any Readable (stdin)
// whose chunks are copied into place as they arrive.
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';

export interface ByteSource {
  /** Fill target[offset, offset+length) as far as the input allows; 0 means end of input. */
  read(target: Buffer, offset: number, length: number): Promise<number>;
}

export function fileByteSource(file: FileHandle): ByteSource {
  return {
    async read(target, offset, length) {
      const { bytesRead } = await file.read(target, offset, length, null);
      return bytesRead;
    },
  };
}

/** Reads `stream` chunk by chunk; its own flow control is the backpressure. */
export function streamByteSource(stream: Readable): ByteSource {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let leftover: Buffer = Buffer.alloc(0);
  let ended = false;
  return {
    async read(target, offset, length) {
      while (leftover.length === 0) {
        if (ended) return 0;
        const next = await chunks.next();
        if (next.done === true) {
          ended = true;
          return 0;
        }
        leftover = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      }
      const take = Math.min(length, leftover.length);
      leftover.copy(target, offset, 0, take);
      leftover = leftover.subarray(take);
      return take;
    },
  };
}
