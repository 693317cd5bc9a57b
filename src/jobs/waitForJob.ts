// Polls a job until it completes. Shows the wait line (the reporter's); gives up with exit 75 (the
// job goes on, and the same command picks it up later), never with a trace.
import { DescribeJobCommand, type GlacierJobDescription } from '@aws-sdk/client-glacier';
import type { Glacier } from '../aws/glacier.js';
import { sleep } from '../aws/retry.js';
import { PendingJob } from '../errors.js';
import type { Reporter } from '../report/reporter.js';
import { exitOnInterrupt } from '../exitOnInterrupt.js';

export interface WaitOptions {
  pollIntervalSeconds: number;
  /** Give up after this long (default 48 h: Bulk retrievals take up to 12 h). */
  timeoutSeconds?: number;
  /** What is awaited, for the status line and the give-up message. */
  label: string;
  /** Shows the wait line. */
  reporter: Reporter;
}

export async function waitForJob(
  glacier: Glacier,
  vault: string,
  jobId: string,
  options: WaitOptions,
): Promise<GlacierJobDescription> {
  const started = Date.now();
  const deadline = started + (options.timeoutSeconds ?? 48 * 3600) * 1000;
  const line = options.reporter.wait(options.label);
  // Nothing is lost by stopping a wait: the job goes on in Glacier.
  const stopWatching = exitOnInterrupt(`interrupted while waiting for ${options.label}; the job goes on: run the same command again to pick it up`);
  try {
    for (;;) {
      const job = await glacier.send(new DescribeJobCommand({ accountId: '-', vaultName: vault, jobId }));
      if (job.Completed === true) return job;
      if (Date.now() >= deadline) {
        throw new PendingJob(`gave up waiting for ${options.label}; the job goes on: run the same command again later`);
      }
      await sleep(Math.min(options.pollIntervalSeconds * 1000, Math.max(0, deadline - Date.now())));
    }
  } finally {
    stopWatching();
    line.finish();
  }
}
