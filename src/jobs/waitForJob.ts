// Polls a job until it completes. Shows the wait on a TTY; gives up with exit 75 (the
// job goes on, and the same command picks it up later), never with a trace.
import { DescribeJobCommand, type GlacierJobDescription } from '@aws-sdk/client-glacier';
import type { Glacier } from '../aws/glacier.js';
import { sleep } from '../aws/retry.js';
import { PendingJob } from '../errors.js';
import { exitOnInterrupt } from '../exitOnInterrupt.js';

export interface WaitOptions {
  pollIntervalSeconds: number;
  /** Give up after this long (default 48 h: Bulk retrievals take up to 12 h). */
  timeoutSeconds?: number;
  /** What is awaited, for the status line and the give-up message. */
  label: string;
}

export async function waitForJob(
  glacier: Glacier,
  vault: string,
  jobId: string,
  options: WaitOptions,
): Promise<GlacierJobDescription> {
  const started = Date.now();
  const deadline = started + (options.timeoutSeconds ?? 48 * 3600) * 1000;
  const showStatus = process.stderr.isTTY === true;
  // Nothing is lost by stopping a wait: the job goes on in Glacier.
  const stopWatching = exitOnInterrupt(`interrupted while waiting for ${options.label}; the job goes on: run the same command again to pick it up`);
  try {
    for (;;) {
      const job = await glacier.send(new DescribeJobCommand({ accountId: '-', vaultName: vault, jobId }));
      if (job.Completed === true) return job;
      if (Date.now() >= deadline) {
        throw new PendingJob(`gave up waiting for ${options.label}; the job goes on: run the same command again later`);
      }
      if (showStatus) {
        const elapsed = Math.round((Date.now() - started) / 1000);
        process.stderr.write(`\rglacier: waiting for ${options.label}: ${formatElapsed(elapsed)} elapsed `);
      }
      await sleep(Math.min(options.pollIntervalSeconds * 1000, Math.max(0, deadline - Date.now())));
    }
  } finally {
    stopWatching();
    if (showStatus) process.stderr.write('\r\x1b[K');
  }
}

function formatElapsed(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}
