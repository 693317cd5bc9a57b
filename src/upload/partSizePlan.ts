// Choosing the multipart part size (Glacier's multipart limits): 1 MiB × 2^n from 1 MiB to
// 4 GiB, at most 10,000 parts. Stdin has no size, and the part size must be fixed before
// the first byte is sent, so it comes from --part-size, --expected-size, the size in a
// git-annex key, or a default that covers hundreds of GiB.
import { FailureError, UsageError } from '../errors.js';
import { MiB } from '../streams/treeHash.js';
import { formatByteSize, isPowerOfTwoMiB } from '../byteSize.js';

export const MIN_PART_SIZE = MiB;
export const MAX_PART_SIZE = 4 * 1024 * MiB;
export const MAX_PARTS = 10_000;
/** Smallest default: fewer, larger requests for files that need multipart at all. */
export const MIN_DEFAULT_PART_SIZE = 16 * MiB;
/** Unknown size: 64 MiB parts hold up to 625 GiB. */
export const UNKNOWN_SIZE_PART_SIZE = 64 * MiB;

export function isValidPartSize(bytes: number): boolean {
  return bytes >= MIN_PART_SIZE && bytes <= MAX_PART_SIZE && isPowerOfTwoMiB(bytes);
}

/** Largest archive the part size allows. */
export function maxArchiveSize(partSize: number): number {
  return partSize * MAX_PARTS;
}

/** Smallest valid part size at least `floor` that fits `size` bytes in 10,000 parts, or undefined. */
export function partSizeFor(size: number, floor = MIN_PART_SIZE): number | undefined {
  let partSize = floor;
  while (partSize * MAX_PARTS < size) partSize *= 2;
  return partSize <= MAX_PART_SIZE ? partSize : undefined;
}

export interface PartSizeRequest {
  /** --part-size, already parsed. */
  partSize?: number;
  /** The exact size of a file, or the expected size of a stream. */
  size?: number;
  /** True when `size` is an exact file size (a stream may run longer than expected). */
  exact?: boolean;
}

/** The part size to use, or a UsageError when the request cannot work. */
export function planPartSize(request: PartSizeRequest): number {
  const { partSize, size } = request;
  if (partSize !== undefined) {
    if (!isValidPartSize(partSize)) {
      throw new UsageError(`--part-size must be a power of two from 1M to 4G (1M, 2M, 4M, ... 4G), not ${partSize} bytes`);
    }
    if (size !== undefined && size > maxArchiveSize(partSize)) {
      throw new UsageError(`${tooSmall(partSize, size)}; use --part-size ${suggestion(size)}`);
    }
    return partSize;
  }
  if (size === undefined) return UNKNOWN_SIZE_PART_SIZE;
  const fitting = partSizeFor(size, MIN_DEFAULT_PART_SIZE);
  if (fitting === undefined) {
    throw new UsageError(`${formatByteSize(size)} is more than Glacier's largest archive (10,000 parts of 4G)`);
  }
  return fitting;
}

/** The error for input that goes past part 10,000: raised before that part is sent. */
export function tooManyPartsError(partSize: number, bytesSoFar: number): FailureError {
  return new FailureError(
    `the input is larger than 10,000 parts of ${formatByteSize(partSize)} (${formatByteSize(maxArchiveSize(partSize))}), ` +
      `Glacier's limit for that part size; the upload was aborted: run it again with --part-size ${suggestion(bytesSoFar * 2)} ` +
      `or larger (or --expected-size SIZE)`,
  );
}

function tooSmall(partSize: number, size: number): string {
  return `${formatByteSize(size)} does not fit in 10,000 parts of ${formatByteSize(partSize)}`;
}

function suggestion(size: number): string {
  return formatByteSize(partSizeFor(size) ?? MAX_PART_SIZE);
}
