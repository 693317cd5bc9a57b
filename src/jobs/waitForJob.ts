// Polls a job until it completes. Shows the wait line (the reporter's); gives up with exit 75 (the
// job goes on, and the same command picks it up later), never with a trace. An interruption
// ends the wait at once with exit 130: nothing is lost, the job goes on in Glacier.
import { DescribeJobCommand, type GlacierJobDescription } from '@aws-sdk/client-glacier';
import { sleepUnlessAborted, unlessAborted } from '../abortable.js';
import type { Glacier } from '../aws/glacier.js';
import { Interrupted, PendingJob } from '../errors.js';
import type { Services } from '../vaultContext.js';

export interface WaitOptions extends Services {
  pollIntervalSeconds: number;
  /** Give up after this long (default 48 h: Bulk retrievals take up to 12 h). */
  timeoutSeconds?: number;
  /** What is awaited, for the status line and the give-up message. */
  label: string;
}

export async function waitForJob(glacier: Glacier, vault: string, jobId: string, options: WaitOptions): Promise<GlacierJobDescription> {
  const { signal } = options;
  const started = Date.now();
  const deadline = started + (options.timeoutSeconds ?? 48 * 3600) * 1000;
  const interrupted = (): Interrupted => new Interrupted(`interrupted while waiting for ${options.label}; the job goes on: run the same command again to pick it up`);
  const line = options.reporter.wait(options.label);
  try {
    for (;;) {
      const job = await unlessAborted(glacier.send(new DescribeJobCommand({ accountId: '-', vaultName: vault, jobId })), signal, interrupted);
      if (job.Completed === true) return job;
      if (Date.now() >= deadline) {
        throw new PendingJob(`gave up waiting for ${options.label}; the job goes on: run the same command again later`);
      }
      await sleepUnlessAborted(Math.min(options.pollIntervalSeconds * 1000, Math.max(0, deadline - Date.now())), signal, interrupted);
    }
  } finally {
    line.finish();
  }
}
