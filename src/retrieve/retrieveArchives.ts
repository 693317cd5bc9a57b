// The delayed-completion steps of docs/compatibility.md for each archive asked for: a Succeeded job
// of the same archive and bytes is downloaded; a running one is reported pending; else a
// job is started (a Failed one is reported first). Without --wait, anything not delivered
// ends the command with exit 75; with --wait the command polls and delivers.
import type { GlacierJobDescription } from '@aws-sdk/client-glacier';
import { quote } from '../report/quote.js';
import { unlessAborted } from '../abortable.js';
import { FailureError, Interrupted, PendingJob } from '../errors.js';
import type { VaultContext } from '../vaultContext.js';
import { listJobs } from '../jobs/listJobs.js';
import { matchRetrievalJobs, type RetrievalRequest } from '../jobs/matchRetrievalJob.js';
import { waitForJob } from '../jobs/waitForJob.js';
import type { RateLimiter } from '../streams/rateLimiter.js';
import type { ByteRange } from './byteRange.js';
import type { Destination } from './destination.js';
import { downloadJob, JobExpired } from './downloadJob.js';
import { startRetrievalJob } from './startRetrievalJob.js';
import type { Tier } from './tier.js';

export interface RetrievalTarget {
  /** The archive as the user named it, for messages. */
  label: string;
  archiveId: string;
  destination: Destination;
}

export interface RetrieveSettings {
  tier: Tier;
  range?: ByteRange;
  segmentSize: number;
  wait: boolean;
  pollSeconds: number;
  /** --limit-rate, shared by every segment download of the process. */
  limiter?: RateLimiter;
}

/**
 * The context's reporter shows the messages, the progress and the wait lines. Its signal is
 * first read by a step that stops on it (starting a job, waiting, downloading), and every
 * later step stops on it too; during the listing before, an interruption ends the process.
 */
export async function retrieveArchives(context: VaultContext, targets: readonly RetrievalTarget[], settings: RetrieveSettings): Promise<void> {
  const { glacier, reporter } = context;
  const { vault } = context.scope;
  const requests: RetrievalRequest[] = targets.map((target) => ({
    archiveId: target.archiveId,
    ...(settings.range !== undefined ? { range: settings.range } : {}),
  }));
  const matches = await matchRetrievalJobs(listJobs(glacier, vault), requests);
  const several = targets.length > 1;
  const deliver = async (target: RetrievalTarget, job: GlacierJobDescription): Promise<void> => {
    await downloadJob(glacier, vault, job, target.destination, settings.segmentSize, target.label, context, settings.limiter);
    if (several) reporter.notice(`retrieved archive ${quote(target.label)}`);
  };
  const startJob = async (target: RetrievalTarget): Promise<string> => {
    const jobId = await unlessAborted(
      startRetrievalJob(glacier, vault, { id: target.archiveId, label: target.label }, settings.tier, settings.range),
      context.signal,
      () => new Interrupted(`interrupted while starting a retrieval job for archive ${quote(target.label)}; run the same command again: it picks up the job if one was started`),
    );
    if (settings.wait) reporter.info(`started retrieval job ${jobId} for archive ${quote(target.label)} (${settings.tier})`);
    else reporter.notice(`queued retrieval job for archive ${quote(target.label)}`);
    return jobId;
  };

  const awaited: { target: RetrievalTarget; jobId: string }[] = [];
  for (const [index, target] of targets.entries()) {
    const match = matches[index] ?? {};
    if (match.succeeded !== undefined) {
      try {
        await deliver(target, match.succeeded);
        continue;
      } catch (failure) {
        if (!(failure instanceof JobExpired)) throw failure;
        reporter.warn(`the output of job ${failure.message} for archive ${quote(target.label)} has expired; starting a new job`);
      }
    } else if (match.inProgress !== undefined) {
      if (settings.wait) reporter.info(`waiting for retrieval job ${match.inProgress.JobId} of archive ${quote(target.label)}`);
      else reporter.notice(`job still pending for archive ${quote(target.label)}`);
      awaited.push({ target, jobId: match.inProgress.JobId as string });
      continue;
    } else if (match.failed !== undefined) {
      reporter.warn(`retrieval job ${match.failed.JobId} for archive ${quote(target.label)} failed (${match.failed.StatusMessage ?? 'no reason given'}); starting a new job`);
    }
    awaited.push({ target, jobId: await startJob(target) });
  }

  if (!settings.wait) {
    if (awaited.length > 0) throw new PendingJob();
    return;
  }
  for (const { target, jobId } of awaited) {
    const job = await waitForJob(glacier, vault, jobId, {
      pollIntervalSeconds: settings.pollSeconds,
      label: `retrieval of archive ${quote(target.label)}`,
      reporter,
      signal: context.signal,
    });
    if (job.StatusCode !== 'Succeeded') {
      throw new FailureError(`retrieval job ${jobId} for archive ${quote(target.label)} failed: ${job.StatusMessage ?? job.StatusCode ?? 'no reason given'}`);
    }
    await deliver(target, job);
  }
}
