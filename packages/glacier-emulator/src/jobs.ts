// Retrieval jobs. A job's status is a function of the emulator clock: it completes at
// its due date and disappears `jobTtl` seconds later. The first time a due job is
// looked at, its output is settled into a file (archive bytes hard-linked, inventory
// generated) and its outcome saved, so it no longer depends on the vault's later state.
import { link, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isoDate } from './clock.js';
import { notFound } from './errors.js';
import { writeInventory, type InventoryFormat, type InventoryParameters } from './inventory.js';
import { SEEDED_TREE_HASH, writeSeededArchive } from './store/archives.js';
import { isMissingFile, readJson, writeJsonAtomic } from './store/files.js';
import { treeHashFromLeaves } from './store/leafHashes.js';
import type { Snapshot, Vault } from './store/vaults.js';
import { isTreeHashAligned } from './treeHash.js';

export type Tier = 'Expedited' | 'Standard' | 'Bulk';
export type JobStatus = 'InProgress' | 'Succeeded' | 'Failed';

export interface JobOutcome {
  status: 'Succeeded' | 'Failed';
  message: string;
  completionDate: number;
  outputSize: number | null;
  /** Tree hash of the retrieved range when it is tree-hash aligned. */
  rangeTreeHash: string | null;
  nextMarker: string | null;
}

export interface JobRecord {
  id: string;
  action: 'ArchiveRetrieval' | 'InventoryRetrieval';
  vaultArn: string;
  creationDate: number;
  dueDate: number;
  description: string | null;
  snsTopic: string | null;
  tier: Tier | null;
  archiveId: string | null;
  archiveSize: number | null;
  archiveTreeHash: string | null;
  /** The archive's description, sent back by GetJobOutput (x-amz-archive-description). */
  archiveDescription?: string | null;
  /** Retrieved range [rangeStart, rangeEnd) of the archive. */
  rangeStart: number | null;
  rangeEnd: number | null;
  format: InventoryFormat | null;
  inventoryParameters: InventoryParameters | null;
  snapshot: Snapshot | null;
  outcome: JobOutcome | null;
}

export class JobStore {
  readonly #byVault = new Map<string, Promise<Map<string, JobRecord>>>();
  readonly #settling = new Map<string, Promise<void>>();

  constructor(readonly jobTtlSeconds: number) {}

  #jobs(vault: Vault): Promise<Map<string, JobRecord>> {
    let loading = this.#byVault.get(vault.dir);
    if (loading === undefined) {
      loading = loadJobs(vault);
      this.#byVault.set(vault.dir, loading);
      loading.catch(() => this.#byVault.delete(vault.dir));
    }
    return loading;
  }

  forgetVault(vault: Vault): void {
    this.#byVault.delete(vault.dir);
  }

  outputPath(vault: Vault, jobId: string): string {
    return vault.path('jobs', `${jobId}.out`);
  }

  leavesPath(vault: Vault, jobId: string): string {
    return vault.path('jobs', `${jobId}.leaves`);
  }

  async create(vault: Vault, job: JobRecord): Promise<void> {
    const jobs = await this.#jobs(vault);
    await writeJsonAtomic(vault.path('jobs', `${job.id}.json`), job);
    jobs.set(job.id, job);
  }

  /** The job as of `now`, or 404 when it never existed or has expired. */
  async get(vault: Vault, jobId: string, now: number): Promise<JobRecord> {
    const jobs = await this.#jobs(vault);
    const job = jobs.get(jobId);
    if (job === undefined || (await this.#expireIfDue(vault, jobs, job, now))) throw notFound(`The job ID was not found: ${jobId}`);
    await this.#settleIfDue(vault, job, now);
    return job;
  }

  /** Live jobs of the vault, oldest first, settled as of `now`. */
  async list(vault: Vault, now: number): Promise<JobRecord[]> {
    const jobs = await this.#jobs(vault);
    const live: JobRecord[] = [];
    for (const job of [...jobs.values()]) {
      if (await this.#expireIfDue(vault, jobs, job, now)) continue;
      await this.#settleIfDue(vault, job, now);
      live.push(job);
    }
    return live.sort((a, b) => a.creationDate - b.creationDate || (a.id < b.id ? -1 : 1));
  }

  /** Makes a job fail now, whatever its state (admin endpoint). */
  async fail(vault: Vault, jobId: string, message: string, now: number): Promise<JobRecord> {
    const job = await this.get(vault, jobId, now);
    job.outcome = { status: 'Failed', message, completionDate: now, outputSize: null, rangeTreeHash: null, nextMarker: null };
    await writeJsonAtomic(vault.path('jobs', `${job.id}.json`), job);
    await rm(this.outputPath(vault, job.id), { force: true });
    return job;
  }

  async #expireIfDue(vault: Vault, jobs: Map<string, JobRecord>, job: JobRecord, now: number): Promise<boolean> {
    if (job.outcome === null || now < job.outcome.completionDate + this.jobTtlSeconds * 1000) return false;
    jobs.delete(job.id);
    for (const suffix of ['.json', '.out', '.leaves']) await rm(vault.path('jobs', `${job.id}${suffix}`), { force: true });
    return true;
  }

  #settleIfDue(vault: Vault, job: JobRecord, now: number): Promise<void> {
    if (job.outcome !== null || now < job.dueDate) return Promise.resolve();
    let settling = this.#settling.get(job.id);
    if (settling === undefined) {
      settling = this.#settle(vault, job).finally(() => this.#settling.delete(job.id));
      this.#settling.set(job.id, settling);
    }
    return settling;
  }

  async #settle(vault: Vault, job: JobRecord): Promise<void> {
    const completionDate = job.dueDate;
    const failed = (message: string): JobOutcome => ({ status: 'Failed', message, completionDate, outputSize: null, rangeTreeHash: null, nextMarker: null });
    let outcome: JobOutcome;
    if (job.action === 'ArchiveRetrieval') {
      const archiveId = job.archiveId!;
      const entry = await vault.archives.find(archiveId);
      const deletion = vault.archives.deletionOf(archiveId);
      if (entry === undefined || deletion !== undefined) {
        outcome = failed(`Archive ${archiveId} was deleted before the retrieval completed`);
      } else {
        const output = this.outputPath(vault, job.id);
        const leaves = this.leavesPath(vault, job.id);
        await rm(output, { force: true });
        await rm(leaves, { force: true });
        try {
          await link(vault.archiveDataPath(archiveId), output);
          await link(vault.archiveLeavesPath(archiveId), leaves);
        } catch (error) {
          if (!isMissingFile(error) || entry.SHA256TreeHash !== SEEDED_TREE_HASH || entry.Size !== 1) throw error;
          await writeSeededArchive(output, leaves);
        }
        const start = job.rangeStart!;
        const end = job.rangeEnd!;
        const rangeTreeHash = isTreeHashAligned(start, end, entry.Size) ? await treeHashFromLeaves(leaves, start, end) : null;
        outcome = { status: 'Succeeded', message: 'Succeeded', completionDate, outputSize: end - start, rangeTreeHash, nextMarker: null };
      }
    } else {
      const result = await writeInventory(vault, job.snapshot!, job.format!, job.inventoryParameters!, this.outputPath(vault, job.id));
      outcome = { status: 'Succeeded', message: 'Succeeded', completionDate, outputSize: result.size, rangeTreeHash: null, nextMarker: result.nextMarker };
    }
    job.outcome = outcome;
    await writeJsonAtomic(vault.path('jobs', `${job.id}.json`), job);
  }

  /** Settles every due job of the vault, before an archive deletion takes their data. */
  async settleDue(vault: Vault, now: number): Promise<void> {
    await this.list(vault, now);
  }
}

async function loadJobs(vault: Vault): Promise<Map<string, JobRecord>> {
  const jobs = new Map<string, JobRecord>();
  let names: string[] = [];
  try {
    names = await readdir(vault.path('jobs'));
  } catch (error) {
    if (!isMissingFile(error)) throw error;
  }
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const job = await readJson<JobRecord>(join(vault.path('jobs'), name));
    if (job !== undefined) jobs.set(job.id, job);
  }
  return jobs;
}

export function statusOf(job: JobRecord): JobStatus {
  return job.outcome?.status ?? 'InProgress';
}

/** GlacierJobDescription (api-GlacierJobDescription.md) of a settled-as-of-now job. */
export function describeJob(job: JobRecord): Record<string, unknown> {
  const outcome = job.outcome;
  const archive = job.action === 'ArchiveRetrieval';
  const description: Record<string, unknown> = {
    Action: job.action,
    ArchiveId: job.archiveId,
    ArchiveSHA256TreeHash: job.archiveTreeHash,
    ArchiveSizeInBytes: job.archiveSize,
    Completed: outcome !== null,
    CompletionDate: outcome === null ? null : isoDate(outcome.completionDate),
    CreationDate: isoDate(job.creationDate),
    InventorySizeInBytes: !archive && outcome?.status === 'Succeeded' ? outcome.outputSize : null,
    JobDescription: job.description,
    JobId: job.id,
    RetrievalByteRange: archive ? `${job.rangeStart}-${job.rangeEnd! - 1}` : null,
    SHA256TreeHash: archive && outcome?.status === 'Succeeded' ? outcome.rangeTreeHash : null,
    SNSTopic: job.snsTopic,
    StatusCode: statusOf(job),
    StatusMessage: outcome === null ? null : outcome.message,
    VaultARN: job.vaultArn,
  };
  if (archive) description['Tier'] = job.tier;
  else {
    const parameters = job.inventoryParameters!;
    description['InventoryRetrievalParameters'] = {
      Format: job.format,
      StartDate: parameters.StartDate,
      EndDate: parameters.EndDate,
      Limit: parameters.Limit,
      Marker: outcome === null ? null : outcome.nextMarker,
    };
  }
  return description;
}
