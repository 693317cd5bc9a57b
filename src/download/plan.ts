import type { RateLimiter } from '../streams/rateLimiter.js';
import type { Services } from '../vaultContext.js';
import type { JobOutput } from './fetchSegment.js';

/**
 * Everything a sink needs to fetch and verify one job's output. The reporter shows the
 * progress line; on the signal the download stops with Interrupted, each sink saying
 * what it leaves behind.
 */
export interface DownloadPlan extends Services {
  output: JobOutput;
  outputSize: number;
  segmentSize: number;
  concurrency: number;
  /** Hex tree hash of the whole output, from DescribeJob/ListJobs. */
  expectedTreeHash: string;
  /** What the bytes are (archive id and range): a partial file of other bytes is not resumed. */
  identity: string;
  /** How the archive is named in messages and the progress line. */
  label: string;
  /** --limit-rate: every segment waits for its bytes' turn before it is fetched. */
  limiter?: RateLimiter;
}
