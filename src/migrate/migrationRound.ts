// One pass of `vault migrate` over the archives of its shard. Each archive moves as far as
// it can: verified at the destination already (done), delivered from a Succeeded job,
// waiting on a running job, or given a job when the batch has room. A second pass starts
// jobs, so that the room is measured after the running jobs were counted.
import type { GlacierJobDescription } from '@aws-sdk/client-glacier';
import { deleteArchive } from '../aws/deleteArchive.js';
import type { S3 } from '../aws/s3.js';
import type { GlacierCache } from '../cache/glacierCache.js';
import type { ArchiveRecord, MigrationRecord, VaultScope } from '../cache/records.js';
import { quote } from '../report/quote.js';
import { Interrupted, NotFoundError } from '../errors.js';
import { bytesText } from './bytesText.js';
import type { MatchingJobs } from '../jobs/matchRetrievalJob.js';
import { JobExpired } from '../retrieve/downloadJob.js';
import { startRetrievalJob } from '../retrieve/startRetrievalJob.js';
import type { Tier } from '../retrieve/tier.js';
import { archiveTarget, type ArchiveTarget } from './archiveTarget.js';
import { deliverArchive, segmentSizeFor, type DeliveryContext } from './deliverArchive.js';
import { DeliveryPool } from './deliveryPool.js';
import type { MigrationDestination } from './destination.js';
import type { Manifest } from './manifest.js';
import { presenceAt } from './presence.js';
import { retrievalJobsByArchive } from './retrievalJobs.js';
import type { Shard } from './shard.js';
import { vaultArchives } from './vaultArchives.js';

export interface RoundSettings {
  tier: Tier;
  shard: Shard | undefined;
  maxJobs: number;
  /** Bytes of running jobs at most; undefined: what the measured rate moves in 12 hours. */
  batchBytes: number | undefined;
  deleteSource: boolean;
}

export interface Tally {
  total: number;
  done: number;
  doneBytes: number;
  /** Delivered by this round, and found already there. */
  migrated: number;
  migratedBytes: number;
  present: number;
  pending: number;
  pendingBytes: number;
  /** Not started: the batch is full. */
  waiting: number;
  waitingBytes: number;
  failed: number;
  started: number;
}

/** Before any delivery has been measured: a modest link. */
/** Buffers of the deliveries running at once: about four large archives, or many small ones. */
const DELIVERY_BUDGET_BYTES = 384 * 1024 * 1024;

export const ASSUMED_BYTES_PER_SECOND = 20 * 1024 * 1024;
/** Half a job output's 24 h life: downloads finish well inside it. */
const BATCH_SECONDS = 12 * 3600;

/** Every archive delivered or deleted is in the cache and the manifest as soon as it is done. */
const INTERRUPTED = 'interrupted; what was migrated is recorded in the cache and the manifest: run the same command again to go on';

export async function migrationRound(
  delivery: DeliveryContext & { s3: S3 | undefined },
  manifest: Manifest,
  settings: RoundSettings,
  /** Archives that failed in an earlier round of this run: reported once, not tried again. */
  failed: Set<string>,
): Promise<Tally> {
  const { glacier, cache, scope, destination, reporter, signal } = delivery;
  const tally: Tally = {
    total: 0,
    done: 0,
    doneBytes: 0,
    migrated: 0,
    migratedBytes: 0,
    present: 0,
    pending: 0,
    pendingBytes: 0,
    waiting: 0,
    waitingBytes: 0,
    failed: 0,
    started: 0,
  };
  let jobs: Map<string, MatchingJobs> | undefined;
  const jobsOf = async (id: string): Promise<MatchingJobs> => {
    jobs ??= await retrievalJobsByArchive(glacier, scope.vault);
    return jobs.get(id) ?? {};
  };
  const settled = new Set<string>();
  let needJobs = 0;

  const record = (archive: ArchiveRecord, changes: Omit<MigrationRecord, 'at'>): void => cache.putMigration(scope, destination.id, archive.id, { ...changes, at: Date.now() });
  const entry = (archive: ArchiveRecord, target: ArchiveTarget) => ({
    archiveId: archive.id,
    name: archive.name,
    ...(archive.size !== undefined ? { size: archive.size } : {}),
    ...(archive.treeHash !== undefined ? { treeHash: archive.treeHash.toLowerCase() } : {}),
    destination: target.location,
    ...(target.reason !== undefined ? { keyReason: target.reason } : {}),
  });
  const fail = (archive: ArchiveRecord, target: ArchiveTarget, why: string): void => {
    reporter.error(`cannot migrate archive ${quote(archive.name || `id:${archive.id}`)}: ${why}`);
    manifest.append({ ...entry(archive, target), status: 'failed', error: why });
    failed.add(archive.id);
    settled.add(archive.id);
  };
  const done = async (archive: ArchiveRecord, target: ArchiveTarget, checksum: string, status: 'migrated' | 'present'): Promise<void> => {
    record(archive, { status: 'done', key: target.key, checksum });
    manifest.append({ ...entry(archive, target), checksum, status });
    tally.done++;
    tally.doneBytes += archive.size ?? 0;
    if (status === 'present') tally.present++;
    settled.add(archive.id);
    await deleteSource(archive, target, checksum);
  };
  const deleteSource = async (archive: ArchiveRecord, target: ArchiveTarget, checksum: string): Promise<void> => {
    if (!settings.deleteSource) return;
    await deleteArchive(glacier, cache, scope, archive.id);
    record(archive, { status: 'deleted', key: target.key, checksum });
    manifest.append({ ...entry(archive, target), checksum, status: 'source-deleted' });
  };

  const deliveries = new DeliveryPool(DELIVERY_BUDGET_BYTES);
  const deliver = async (archive: ArchiveRecord, target: ArchiveTarget, job: GlacierJobDescription): Promise<void> => {
    const size = archive.size ?? 0;
    const started = performance.now();
    const checksum = await deliverArchive(delivery, archive, target, job);
    const seconds = (performance.now() - started) / 1000;
    rememberRate(cache, scope, destination.id, size, seconds);
    tally.migrated++;
    tally.migratedBytes += size;
    reporter.notice(
      `migrated archive ${quote(archive.name || `id:${archive.id}`)} to ${quote(target.location)} (${bytesText(size)} in ${seconds.toFixed(1)} s, ${bytesText(size / seconds)}/s)`,
    );
    await done(archive, target, checksum, 'migrated');
  };

  for await (const archive of vaultArchives(cache, scope, settings.shard)) {
    if (signal.aborted) break;
    tally.total++;
    const size = archive.size ?? 0;
    if (failed.has(archive.id)) {
      settled.add(archive.id);
      continue;
    }
    const known = cache.migration(scope, destination.id, archive.id);
    if (known?.status === 'done' || known?.status === 'deleted') {
      tally.done++;
      tally.doneBytes += size;
      settled.add(archive.id);
      if (known.status === 'done' && settings.deleteSource) await deleteSource(archive, archiveTarget(cache, scope, destination, archive), known.checksum ?? '');
      continue;
    }
    const target = archiveTarget(cache, scope, destination, archive);
    try {
      if (known === undefined || known.status === 'uploading') {
        const presence = await presenceAt(destination, delivery.s3, archive, target);
        if (presence.state === 'present') {
          await done(archive, target, presence.checksum, 'present');
          continue;
        }
        if (presence.state === 'conflict') {
          fail(archive, target, presence.why);
          continue;
        }
        if (known === undefined) record(archive, { status: 'absent', key: target.key });
      }
      const match = await jobsOf(archive.id);
      const succeeded = match.succeeded;
      if (succeeded !== undefined) {
        await deliveries.start(bufferCost(size, destination), async () => {
          try {
            await deliver(archive, target, succeeded);
          } catch (failure) {
            // An interrupted delivery is no failure: it starts over on the next run.
            if (signal.aborted) return;
            if (failure instanceof JobExpired) {
              reporter.warn(`the output of job ${failure.message} for archive ${quote(archive.name || `id:${archive.id}`)} has expired; it gets a new job`);
              needJobs++;
            } else {
              fail(archive, target, failure instanceof Error ? failure.message : String(failure));
            }
          }
        });
        continue;
      }
      if (match.inProgress !== undefined) {
        tally.pending++;
        tally.pendingBytes += size;
        settled.add(archive.id);
        continue;
      }
      needJobs++;
    } catch (failure) {
      if (signal.aborted) break;
      fail(archive, target, failure instanceof Error ? failure.message : String(failure));
    }
  }
  await deliveries.drain();
  if (signal.aborted) throw new Interrupted(INTERRUPTED);

  if (needJobs > 0) await startJobs(delivery, settings, tally, settled, (archive, why) => fail(archive, archiveTarget(cache, scope, destination, archive), why));
  tally.failed = failed.size;
  return tally;
}

/** The second pass: jobs for the archives that have none, while the batch has room. */
async function startJobs(
  delivery: DeliveryContext,
  settings: RoundSettings,
  tally: Tally,
  settled: Set<string>,
  fail: (archive: ArchiveRecord, why: string) => void,
): Promise<void> {
  const { glacier, cache, scope, destination, reporter } = delivery;
  const batchBytes = settings.batchBytes ?? (cache.migrationRate(scope, destination.id) ?? ASSUMED_BYTES_PER_SECOND) * BATCH_SECONDS;
  let startedBytes = 0;
  for await (const archive of vaultArchives(cache, scope, settings.shard)) {
    if (delivery.signal.aborted) throw new Interrupted(INTERRUPTED);
    if (settled.has(archive.id)) continue;
    const status = cache.migration(scope, destination.id, archive.id)?.status;
    if (status === 'done' || status === 'deleted') continue;
    const size = archive.size ?? 0;
    const running = tally.pending;
    const roomy = running === 0 || (running < settings.maxJobs && tally.pendingBytes + size <= batchBytes);
    if (!roomy) {
      tally.waiting++;
      tally.waitingBytes += size;
      continue;
    }
    try {
      await startRetrievalJob(glacier, scope.vault, { id: archive.id, label: archive.name || `id:${archive.id}` }, settings.tier, undefined);
    } catch (failure) {
      // Gone from the vault since the cache last saw it, say: the others go on.
      if (!(failure instanceof NotFoundError)) throw failure;
      fail(archive, failure.message);
      continue;
    }
    tally.started++;
    tally.pending++;
    tally.pendingBytes += size;
    startedBytes += size;
  }
  if (tally.started > 0) reporter.notice(`started ${tally.started} retrieval job${tally.started === 1 ? '' : 's'} (${settings.tier.toLowerCase()}, ${bytesText(startedBytes)})`);
}

/** What one delivery may hold in buffers: the segments in flight and being written, and the parts being sent. */
function bufferCost(size: number, destination: MigrationDestination): number {
  return Math.max(1, Math.min(size, segmentSizeFor(size, destination))) * 11;
}

/** Deliveries' bytes per second, smoothed, for the next batch's size. */
function rememberRate(cache: GlacierCache, scope: VaultScope, destination: string, bytes: number, seconds: number): void {
  if (bytes < 1024 * 1024 || seconds <= 0) return;
  const measured = bytes / seconds;
  const before = cache.migrationRate(scope, destination);
  cache.putMigrationRate(scope, destination, before === undefined ? measured : before * 0.7 + measured * 0.3);
}
