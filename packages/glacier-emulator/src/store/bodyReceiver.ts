// Streams a request body into a file (at an offset, for multipart parts), hashing it on
// the way: memory stays at one chunk whatever the body size.
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HashingPassThrough } from './leafHashes.js';

export interface ReceivedBody {
  bytes: number;
  leaves: Buffer;
  treeHash: string;
  sha256: string;
}

export async function receiveBody(source: Readable, path: string, options: { start?: number } = {}): Promise<ReceivedBody> {
  const hasher = new HashingPassThrough();
  const sink =
    options.start === undefined ? createWriteStream(path, { highWaterMark: 1 << 20 }) : createWriteStream(path, { flags: 'r+', start: options.start, highWaterMark: 1 << 20 });
  await pipeline(source, hasher, sink);
  return { bytes: hasher.bytes, ...hasher.finish() };
}
