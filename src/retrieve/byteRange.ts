// --range START-END: a byte range retrieved as its own job. InitiateJob refuses a range
// that is not megabyte aligned (api-jobParameters.md, RetrievalByteRange): START a
// multiple of 1 MiB, END+1 a multiple of 1 MiB or the archive size.
import { UsageError } from '../errors.js';
import { MiB } from '../streams/treeHash.js';

/** Inclusive bytes, as Glacier writes them in RetrievalByteRange. */
export interface ByteRange {
  start: number;
  end: number;
}

export function parseByteRange(text: string): ByteRange {
  const match = /^(\d+)-(\d+)$/.exec(text.trim());
  if (match === null) throw new UsageError(`--range takes START-END in bytes (inclusive), not '${text}'`);
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) {
    throw new UsageError(`--range ${text}: END must not be less than START`);
  }
  if (start % MiB !== 0) {
    throw new UsageError(`--range ${text}: START must be a multiple of 1 MiB (1048576), e.g. ${start - (start % MiB)}`);
  }
  return { start, end };
}

/** The rest of the rule, once the archive size is known (from the cache or the job). */
export function checkRangeWithinArchive(range: ByteRange, archiveSize: number, name: string): void {
  if (range.end >= archiveSize) {
    throw new UsageError(`--range ${formatByteRange(range)}: archive ${name} has only ${archiveSize} bytes`);
  }
  if ((range.end + 1) % MiB !== 0 && range.end + 1 !== archiveSize) {
    throw new UsageError(`--range ${formatByteRange(range)}: END+1 must be a multiple of 1 MiB or the archive size (${archiveSize})`);
  }
}

export function formatByteRange(range: ByteRange): string {
  return `${range.start}-${range.end}`;
}

export function isWholeArchive(range: ByteRange, archiveSize: number): boolean {
  return range.start === 0 && range.end === archiveSize - 1;
}
