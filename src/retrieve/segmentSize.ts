// --multipart-size: the size of the segments a job's output is downloaded in. Only a
// power-of-two number of MiB gives segments that Glacier sends with a tree hash
// (checksum-calculations-range.md), so any other size is refused, not rounded.
import { isPowerOfTwoMiB, parseByteSize } from '../byteSize.js';
import { UsageError } from '../errors.js';
import { MiB } from '../streams/treeHash.js';

export const DEFAULT_SEGMENT_SIZE = 8 * MiB;
/** Each segment is held in memory until verified; beyond this a segment is too costly. */
export const MAX_SEGMENT_SIZE = 1024 * MiB;

/** Bytes, or NUMBER with a binary unit (parseByteSize): 8388608, 8M, 8MiB. */
export function parseSegmentSize(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SEGMENT_SIZE;
  const bytes = parseByteSize(text);
  if (bytes === undefined) {
    throw new UsageError(`--multipart-size takes bytes or a size such as 8M or 8MiB, not '${text}'`);
  }
  if (bytes <= MAX_SEGMENT_SIZE && isPowerOfTwoMiB(bytes)) return bytes;
  throw new UsageError(`--multipart-size must be a power-of-two number of MiB from 1 MiB to 1024 MiB; ${describeNearest(bytes)}`);
}

function describeNearest(bytes: number): string {
  if (bytes < MiB) return `'${bytes}' is below 1M`;
  if (bytes > MAX_SEGMENT_SIZE) return `'${bytes}' is above 1024M`;
  let lower = MiB;
  while (lower * 2 <= bytes) lower *= 2;
  return `the nearest valid sizes to ${bytes} are ${lower / MiB}M (${lower}) and ${(lower * 2) / MiB}M (${lower * 2})`;
}
