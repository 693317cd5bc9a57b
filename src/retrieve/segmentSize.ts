// --multipart-size: the size of the segments a job's output is downloaded in. Only a
// power-of-two number of MiB gives segments that Glacier sends with a tree hash
// (checksum-calculations-range.md), so any other size is refused, not rounded.
import { UsageError } from '../errors.js';
import { MiB } from '../streams/treeHash.js';

export const DEFAULT_SEGMENT_SIZE = 8 * MiB;
/** Each segment is held in memory until verified; beyond this a segment is too costly. */
export const MAX_SEGMENT_SIZE = 1024 * MiB;

const UNITS: Record<string, number> = { '': 1, k: 1024, kib: 1024, m: MiB, mib: MiB, g: 1024 * MiB, gib: 1024 * MiB };

/** Bytes, or NUMBER with K/M/G (binary units, optional "iB"): 8388608, 8M, 8MiB. */
export function parseSegmentSize(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SEGMENT_SIZE;
  const match = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match === null ? undefined : UNITS[(match[2] ?? '').toLowerCase()];
  if (match === null || unit === undefined) {
    throw new UsageError(`--multipart-size takes bytes or a size such as 8M or 8MiB, not '${text}'`);
  }
  const bytes = Number(match[1]) * unit;
  if (bytes >= MiB && bytes <= MAX_SEGMENT_SIZE && isPowerOfTwo(bytes / MiB)) return bytes;
  throw new UsageError(`--multipart-size must be a power-of-two number of MiB from 1 MiB to 1024 MiB; ${describeNearest(bytes)}`);
}

function isPowerOfTwo(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && (value & (value - 1)) === 0;
}

function describeNearest(bytes: number): string {
  if (bytes < MiB) return `'${bytes}' is below 1M`;
  if (bytes > MAX_SEGMENT_SIZE) return `'${bytes}' is above 1024M`;
  let lower = MiB;
  while (lower * 2 <= bytes) lower *= 2;
  return `the nearest valid sizes to ${bytes} are ${lower / MiB}M (${lower}) and ${(lower * 2) / MiB}M (${lower * 2})`;
}
