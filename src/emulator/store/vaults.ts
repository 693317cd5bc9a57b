// Vaults on disk: DATA/regions/REGION/vaults/NAME/ holding vault.json (metadata and the
// inventory snapshot), the archive logs, archive files, multipart uploads and jobs.
// Vaults of one name in two regions are two vaults.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidParameter, notFound } from '../errors.js';
import { ArchiveLog } from './archiveLog.js';
import { isMissingFile, readJson, writeJsonAtomic } from './files.js';

/** A point-in-time view of the vault: the first logLength bytes of the archive log minus
 * the first deletionCount deletions. */
export interface Snapshot {
  date: number;
  changeSeq: number;
  logLength: number;
  deletionCount: number;
  archiveCount: number;
  totalSize: number;
}

export interface VaultMeta {
  name: string;
  region: string;
  creationDate: number;
  /** Bumped by every archive added or deleted. */
  changeSeq: number;
  archiveCount: number;
  totalSize: number;
  snapshot: Snapshot | undefined;
}

const VAULT_NAME = /^[A-Za-z0-9_.-]{1,255}$/;

export function checkVaultName(name: string): void {
  if (!VAULT_NAME.test(name)) {
    throw invalidParameter(`The vault name is invalid: ${name}. Vault names can be 1-255 characters long and may contain a-z, A-Z, 0-9, '_' (underscore), '-' (hyphen), and '.' (period).`);
  }
}

export class Vault {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    readonly arn: string,
    public meta: VaultMeta,
    readonly archives: ArchiveLog,
  ) {}

  get name(): string {
    return this.meta.name;
  }

  get region(): string {
    return this.meta.region;
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  archiveDataPath(archiveId: string): string {
    return join(this.dir, 'archives', archiveId);
  }

  archiveLeavesPath(archiveId: string): string {
    return join(this.dir, 'archives', `${archiveId}.leaves`);
  }

  /** Runs mutations of this vault one at a time. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async saveMeta(): Promise<void> {
    await writeJsonAtomic(this.path('vault.json'), this.meta);
  }

  /**
   * Takes a new inventory snapshot when the vault changed since the last one and at
   * least `intervalSeconds` passed (api-initiate-job-post.md: "If there have been no
   * archive additions or deletions to the vault since the last inventory, the inventory
   * date is not updated"). `evenIfNeverWritten`: an inventory job needs some snapshot.
   */
  refreshSnapshot(now: number, intervalSeconds: number, evenIfNeverWritten = false): Promise<Snapshot | undefined> {
    return this.exclusive(async () => {
      const current = this.meta.snapshot;
      const changed = current === undefined ? this.meta.changeSeq > 0 || evenIfNeverWritten : current.changeSeq !== this.meta.changeSeq;
      const due = current === undefined || now - current.date >= intervalSeconds * 1000;
      if (changed && due) await this.#snapshotNow(now);
      return this.meta.snapshot;
    });
  }

  /** Takes a snapshot whatever the interval (admin endpoint). Caller holds no lock. */
  forceSnapshot(now: number): Promise<Snapshot> {
    return this.exclusive(async () => this.#snapshotNow(now));
  }

  async #snapshotNow(now: number): Promise<Snapshot> {
    this.meta.snapshot = {
      date: now,
      changeSeq: this.meta.changeSeq,
      logLength: this.archives.length,
      deletionCount: this.archives.deletionCount,
      archiveCount: this.meta.archiveCount,
      totalSize: this.meta.totalSize,
    };
    await this.saveMeta();
    return this.meta.snapshot;
  }
}

export class VaultRegistry {
  readonly #open = new Map<string, Promise<Vault | undefined>>();

  constructor(
    readonly dataDir: string,
    readonly accountId: string,
  ) {}

  arn(region: string, name: string): string {
    return `arn:aws:glacier:${region}:${this.accountId}:vaults/${name}`;
  }

  #vaultDir(region: string, name: string): string {
    return join(this.dataDir, 'regions', region, 'vaults', name);
  }

  /** The vault, or undefined when it does not exist. */
  find(region: string, name: string): Promise<Vault | undefined> {
    const key = `${region}/${name}`;
    let opening = this.#open.get(key);
    if (opening === undefined) {
      opening = this.#load(region, name);
      this.#open.set(key, opening);
      opening.then(
        (vault) => vault === undefined && this.#open.delete(key),
        () => this.#open.delete(key),
      );
    }
    return opening;
  }

  /** The vault, or 404 ResourceNotFoundException with Glacier's message. */
  async get(region: string, name: string): Promise<Vault> {
    const vault = await this.find(region, name);
    if (vault === undefined) throw notFound(`Vault not found for ARN: ${this.arn(region, name)}`);
    return vault;
  }

  async #load(region: string, name: string): Promise<Vault | undefined> {
    if (!VAULT_NAME.test(name)) return undefined;
    const dir = this.#vaultDir(region, name);
    const meta = await readJson<VaultMeta>(join(dir, 'vault.json'));
    if (meta === undefined) return undefined;
    const archives = await ArchiveLog.open(join(dir, 'archives.log'), join(dir, 'deletions.log'));
    return new Vault(dir, this.arn(region, name), meta, archives);
  }

  /** Creates the vault unless it exists (api-vault-put.md: idempotent). */
  async create(region: string, name: string, now: number): Promise<Vault> {
    checkVaultName(name);
    const existing = await this.find(region, name);
    if (existing !== undefined) return existing;
    const dir = this.#vaultDir(region, name);
    for (const sub of ['archives', 'uploads', 'jobs', 'tmp']) await mkdir(join(dir, sub), { recursive: true });
    const meta: VaultMeta = { name, region, creationDate: now, changeSeq: 0, archiveCount: 0, totalSize: 0, snapshot: undefined };
    await writeJsonAtomic(join(dir, 'vault.json'), meta);
    this.#open.delete(`${region}/${name}`);
    return this.get(region, name);
  }

  async remove(vault: Vault): Promise<void> {
    this.#open.delete(`${vault.region}/${vault.name}`);
    await rm(vault.dir, { recursive: true, force: true });
  }

  /** Names of the region's vaults in ASCII order (api-vaults-get.md). */
  async names(region: string): Promise<string[]> {
    try {
      const names = await readdir(join(this.dataDir, 'regions', region, 'vaults'));
      return names.filter((name) => VAULT_NAME.test(name)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    } catch (error) {
      if (isMissingFile(error)) return [];
      throw error;
    }
  }
}
