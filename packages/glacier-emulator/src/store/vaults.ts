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
  /** When the vault first changed after its last inventory snapshot. */
  changedSince?: number;
  archiveCount: number;
  totalSize: number;
  snapshot: Snapshot | undefined;
  /** Subresources: notification configuration, access policy, vault lock, tags. */
  settings?: VaultSettings;
}

export interface VaultNotificationConfig {
  SNSTopic: string;
  Events: string[];
}

export interface VaultLock {
  policy: string;
  lockId: string;
  state: 'InProgress' | 'Locked';
  creationDate: number;
}

export interface VaultSettings {
  notifications?: VaultNotificationConfig;
  accessPolicy?: string;
  lock?: VaultLock;
  tags?: Record<string, string>;
}

const VAULT_NAME = /^[A-Za-z0-9_.-]{1,255}$/;

export function checkVaultName(name: string): void {
  if (!VAULT_NAME.test(name)) {
    throw invalidParameter(
      `The vault name is invalid: ${name}. Vault names can be 1-255 characters long and may contain a-z, A-Z, 0-9, '_' (underscore), '-' (hyphen), and '.' (period).`,
    );
  }
}

/** The empty vault as created: what an inventory job returns before the first inventory. */
export function initialSnapshot(vault: Vault): Snapshot {
  return { date: vault.meta.creationDate, changeSeq: 0, logLength: 0, deletionCount: 0, archiveCount: 0, totalSize: 0 };
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

  get settings(): VaultSettings {
    return this.meta.settings ?? {};
  }

  /** Changes the vault's subresources and saves them, under the vault's lock. */
  updateSettings<T>(change: (settings: VaultSettings) => T): Promise<T> {
    return this.exclusive(async () => {
      const settings = { ...this.settings };
      const result = change(settings);
      this.meta.settings = settings;
      await this.saveMeta();
      return result;
    });
  }

  async saveMeta(): Promise<void> {
    await writeJsonAtomic(this.path('vault.json'), this.meta);
  }

  /** Records an archive added or deleted; the caller holds the vault's lock. */
  noteChange(now: number): void {
    this.meta.changeSeq++;
    this.meta.changedSince ??= now;
  }

  /**
   * Regenerates the inventory snapshot when it is due. Glacier prepares inventories about
   * once a day and moves the inventory date only when archives were added or deleted
   * (api-initiate-job-post.md); here regenerations fall every `intervalSeconds` from the
   * vault's creation, and one is due once such an instant has passed since the first
   * change the last snapshot does not hold. A snapshot holds the vault as it is when taken.
   */
  refreshSnapshot(now: number, intervalSeconds: number): Promise<Snapshot | undefined> {
    return this.exclusive(async () => {
      const current = this.meta.snapshot;
      const changed = current === undefined ? this.meta.changeSeq > 0 : current.changeSeq !== this.meta.changeSeq;
      if (changed && now >= this.#nextRegeneration(this.meta.changedSince ?? current?.date ?? this.meta.creationDate, intervalSeconds)) {
        await this.#snapshotNow(now);
      }
      return this.meta.snapshot;
    });
  }

  /** The first regeneration instant after `time`. */
  #nextRegeneration(time: number, intervalSeconds: number): number {
    const interval = intervalSeconds * 1000;
    if (interval === 0) return time;
    const created = this.meta.creationDate;
    return created + (Math.floor((time - created) / interval) + 1) * interval;
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
    delete this.meta.changedSince;
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

  /** Another vault of the region that issued this archive id, if any. */
  async otherOwner(vault: Vault, archiveId: string): Promise<Vault | undefined> {
    for (const name of await this.names(vault.region)) {
      if (name === vault.name) continue;
      const other = await this.find(vault.region, name);
      if (other !== undefined && (await other.archives.find(archiveId)) !== undefined) return other;
    }
    return undefined;
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
