// A job's output cut into segments of one power-of-two-MiB size at multiples of that size:
// exactly the ranges for which GetJobOutput returns a tree hash (api-job-output-get.md,
// checksum-calculations-range.md), the short last one included.

export interface Segment {
  index: number;
  /** First byte, relative to the job's output. */
  start: number;
  length: number;
}

export function segmentCount(outputSize: number, segmentSize: number): number {
  return Math.ceil(outputSize / segmentSize);
}

export function segmentAt(index: number, outputSize: number, segmentSize: number): Segment {
  const start = index * segmentSize;
  return { index, start, length: Math.min(segmentSize, outputSize - start) };
}

export function* segmentsFrom(first: number, outputSize: number, segmentSize: number): Generator<Segment> {
  const count = segmentCount(outputSize, segmentSize);
  for (let index = first; index < count; index++) yield segmentAt(index, outputSize, segmentSize);
}

/** The Range header of a segment: inclusive bytes. */
export function rangeHeader(segment: Segment): string {
  return `bytes=${segment.start}-${segment.start + segment.length - 1}`;
}
