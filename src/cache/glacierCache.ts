// The local cache: one LMDB environment shared by every glacier process of a user
// (git annex -J8 runs eight at once). LMDB serialises writers across processes, and every
// write here is a synchronous transaction, so a process that exits right after a write
// has it on disk.
import { lstatSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { CliError, FailureError } from '../errors.js';
import {
  isLive,
  type ArchiveRecord,
  type MigrationPart,
  type MigrationRecord,
  type OldCacheImport,
  type PendingUpload,
  type SyncState,
  type UploadedPart,
  type VaultScope,
} from './records.js';

type Key = (string | number)[];

/** An archive row as stored: the id is already in its key. */
type StoredArchive = Omit<ArchiveRecord, 'id'>;

/**
 * Index entries travel as NAME NUL ID: that sorts as the index key [NAME, ID] does, since
 * names and ids are printable ASCII (a NUL sorts before every character that can follow a
 * shorter name).
 */
function splitNameKeyText(text: string): [string, string] {
  const cut = text.lastIndexOf('\u0000');
  return [text.slice(0, cut), text.slice(cut + 1)];
}

function stored(record: ArchiveRecord): StoredArchive {
  const { id: _id, ...rest } = record;
  return rest;
}

// Sorts after any printable-ASCII name or base64url id in ordered-binary key order.
const AFTER_ANY_STRING = '\uffff';

function scopeKey(scope: VaultScope): Key {
  return [scope.account, scope.region, scope.vault];
}

/**
 * One change to a vault's name index: the entry for NAME and ID to add or to remove. A sync
 * collects these while it writes rows, then applies them sorted by nameIndexOrder.
 */
export interface NameIndexChange {
  add: boolean;
  name: string;
  id: string;
}

/**
 * A text that sorts index changes as the index itself sorts its entries (see
 * splitNameKeyText): applied in this order, they walk the index front to back.
 */
export function nameIndexOrder(change: NameIndexChange): string {
  return `${change.name}\u0000${change.id}`;
}

/** The name index changes that turn `previous` into `record` (either may be absent). */
function nameIndexChanges(previous: ArchiveRecord | undefined, record: ArchiveRecord | undefined): NameIndexChange[] {
  const was = previous !== undefined && isLive(previous) ? previous : undefined;
  const is = record !== undefined && isLive(record) ? record : undefined;
  if (was !== undefined && is !== undefined && was.name === is.name) return [];
  const changes: NameIndexChange[] = [];
  if (was !== undefined) changes.push({ add: false, name: was.name, id: was.id });
  if (is !== undefined) changes.push({ add: true, name: is.name, id: is.id });
  return changes;
}

interface Handles {
  root: RootDatabase;
  archives: Database<StoredArchive, Key>;
  names: Database<true, Key>;
  identities: Database<string, string>;
  uploads: Database<PendingUpload, Key>;
  parts: Database<string, Key>;
  syncStates: Database<SyncState, Key>;
  /** Per vault, a count of the writes to its archives by anything but a sync's own passes. */
  writeCounts: Database<number, Key>;
  /** Per vault, destination and archive: how far its migration went (vault migrate). */
  migrations: Database<MigrationRecord, Key>;
  /** Per vault and destination: the bytes per second its migration deliveries reached. */
  migrationRates: Database<number, Key>;
  /** Per vault and S3 upload id: the parts sent, so that a cut upload resumes. */
  migrationParts: Database<MigrationPart, Key>;
  /** Per (old cache file, account, region): what became of importing it. */
  oldImports: Database<OldCacheImport, Key>;
}

function openHandles(path: string): Handles {
  // No useWritemap: with it LMDB extends the file to the whole map as a sparse file and
  // writes through the map, so a full disk kills the process with SIGBUS in mid-write
  // (no message; git-annex then takes a dead checkpresent for "cannot tell" and skips
  // the copy). Without it a full disk is an error like any other. The map is sized once,
  // as address space only (the file grows with the data): growing a map while other
  // processes use it can corrupt it, and eight writers at once (git annex -J8) do. And
  // every commit is flushed before it returns: with overlappingSync, transactions
  // reported committed can be lost when several processes write at once
  // (test/cache-concurrency.test.ts holds both).
  const root = open({ path, maxDbs: 16, mapSize: 64 * 1024 ** 3, overlappingSync: false });
  return {
    root,
    archives: root.openDB({ name: 'archives' }),
    names: root.openDB({ name: 'names' }),
    identities: root.openDB({ name: 'identities' }),
    uploads: root.openDB({ name: 'uploads' }),
    parts: root.openDB({ name: 'parts' }),
    syncStates: root.openDB({ name: 'sync' }),
    writeCounts: root.openDB({ name: 'writes' }),
    migrations: root.openDB({ name: 'migrations' }),
    migrationRates: root.openDB({ name: 'migration-rates' }),
    migrationParts: root.openDB({ name: 'migration-parts' }),
    oldImports: root.openDB({ name: 'old-imports' }),
  };
}

export class GlacierCache {
  readonly #dir: string;
  #handles: Handles;

  private constructor(dir: string) {
    this.#dir = dir;
    this.#handles = openHandles(join(dir, 'lmdb'));
  }

  /**
   * The folder named by the user may be any folder (--cache-dir /tmp, or ~): its mode is
   * left alone. The environment lives in its own subfolder, created private (0700), and
   * used only when it is a real folder of ours, never a link someone planted.
   */
  static open(cacheDir: string): GlacierCache {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const lmdbDir = join(cacheDir, 'lmdb');
    mkdirSync(lmdbDir, { recursive: true, mode: 0o700 });
    const own = lstatSync(lmdbDir);
    if (!own.isDirectory() || own.uid !== process.getuid?.()) {
      throw new FailureError(`cannot use the cache in ${lmdbDir}: it is not a folder of yours`);
    }
    return new GlacierCache(cacheDir);
  }

  /** The cache folder (private to its owner): scratch files of a sync go here. */
  get directory(): string {
    return this.#dir;
  }

  /**
   * Close and reopen the environment. Every page of the file this process has read stays
   * mapped, and counted in its resident memory, until the map is dropped; a pass over a
   * vault of millions of archives calls this now and then. Only between transactions and
   * iterations.
   */
  async unmap(): Promise<void> {
    await this.#handles.root.close();
    this.#handles = openHandles(join(this.#dir, 'lmdb'));
  }

  close(): void {
    void this.#handles.root.close();
  }

  // --- identities: which account a set of credentials belongs to ---

  accountOf(identity: string): string | undefined {
    return this.#handles.identities.get(identity);
  }

  rememberAccount(identity: string, account: string): void {
    this.transaction(() => this.#handles.identities.putSync(identity, account));
  }

  // --- archives ---

  getArchive(scope: VaultScope, id: string): ArchiveRecord | undefined {
    const row = this.#handles.archives.get([...scopeKey(scope), id]);
    return row === undefined ? undefined : { ...row, id };
  }

  /** The archive's row when it is live (records.ts isLive): what lookups may answer with. */
  liveArchive(scope: VaultScope, id: string): ArchiveRecord | undefined {
    const record = this.getArchive(scope, id);
    return record !== undefined && isLive(record) ? record : undefined;
  }

  /**
   * Run `work` as one write transaction: reads inside it see its writes, and no other
   * process writes in between (read-modify-write under `git annex -J8`).
   */
  transaction<T>(work: () => T): T {
    try {
      return this.#handles.root.transactionSync(work);
    } catch (failure) {
      throw this.#writeFailure(failure);
    }
  }

  /** LMDB's own failures (a full disk: EIO or ENOSPC) become one clear line. */
  #writeFailure(failure: unknown): unknown {
    const code = (failure as { code?: unknown } | null)?.code;
    if (failure instanceof CliError || !(failure instanceof Error) || typeof code !== 'number') return failure;
    // On a failed page write LMDB's C code prints `Write error: ...` to stderr itself, with
    // no newline; this error then carries the details again. End that line, so our message
    // stands on its own, and keep only the reason.
    const [reason, pageDetails] = failure.message.split(': Attempting to write page');
    if (pageDetails !== undefined) process.stderr.write('\n');
    return new FailureError(`cannot write the cache in ${this.#dir}: ${reason} (is the disk full?)`);
  }

  /** Insert or replace archives in one transaction, keeping the name index in step. */
  putArchives(scope: VaultScope, records: Iterable<ArchiveRecord>): void {
    this.transaction(() => {
      for (const record of records) this.#writeArchive(scope, record);
    });
  }

  putArchive(scope: VaultScope, record: ArchiveRecord): void {
    this.putArchives(scope, [record]);
  }

  /** Insert or replace one archive, keeping the name index in step; inside a transaction. */
  #writeArchive(scope: VaultScope, record: ArchiveRecord, previous = this.getArchive(scope, record.id)): void {
    const base = scopeKey(scope);
    this.#handles.archives.putSync([...base, record.id], stored(record));
    this.#applyNameIndexChanges(base, nameIndexChanges(previous, record));
    this.#countWrite(base);
  }

  /** Removals before additions, each in key order. */
  #applyNameIndexChanges(base: Key, changes: readonly NameIndexChange[]): void {
    // The engine's own sort of plain strings; a comparator function costs seconds per million.
    const removals = changes
      .filter((change) => !change.add)
      .map(nameIndexOrder)
      .sort();
    const additions = changes
      .filter((change) => change.add)
      .map(nameIndexOrder)
      .sort();
    for (const text of removals) this.#handles.names.removeSync([...base, ...splitNameKeyText(text)]);
    for (const text of additions) this.#handles.names.putSync([...base, ...splitNameKeyText(text)], true);
  }

  #countWrite(base: Key): void {
    this.#handles.writeCounts.putSync(base, (this.#handles.writeCounts.get(base) ?? 0) + 1);
  }

  // --- the passes of a sync: rows and index entries written separately, in key order ---

  /** How many times anything but a sync's passes wrote the vault's archives. */
  writeCount(scope: VaultScope): number {
    return this.#handles.writeCounts.get(scopeKey(scope)) ?? 0;
  }

  /**
   * Archive rows with ids after `afterId` (all when undefined), up to and including
   * `throughId` (to the end when undefined), in id order.
   */
  *archivesBetween(scope: VaultScope, afterId: string | undefined, throughId: string | undefined): Generator<ArchiveRecord> {
    const base = scopeKey(scope);
    // ID NUL sorts right after ID and before any other id.
    const start = afterId === undefined ? base : [...base, `${afterId}\u0000`];
    const end = throughId === undefined ? [...base, AFTER_ANY_STRING] : [...base, `${throughId}\u0000`];
    for (const { key, value } of this.#handles.archives.getRange({ start, end })) {
      const id = key[3];
      if (typeof id === 'string') yield { ...value, id };
    }
  }

  /**
   * Write the row of an archive a sync reconciled, over `previous` (its row as read in this
   * transaction, if any), leaving the name index as it is: the changes it needs are
   * returned, for applyNameIndexChanges once every row of the sync is written. Only inside
   * transaction(); not counted as a write (writeCount).
   */
  putArchiveRowDeferringIndex(scope: VaultScope, previous: ArchiveRecord | undefined, record: ArchiveRecord): NameIndexChange[] {
    this.#handles.archives.putSync([...scopeKey(scope), record.id], stored(record));
    return nameIndexChanges(previous, record);
  }

  /** Remove the row `previous` as putArchiveRowDeferringIndex writes one: the index changes are returned. */
  removeArchiveRowDeferringIndex(scope: VaultScope, previous: ArchiveRecord): NameIndexChange[] {
    this.#handles.archives.removeSync([...scopeKey(scope), previous.id]);
    return nameIndexChanges(previous, undefined);
  }

  /**
   * Apply name index changes a sync computed from the rows it wrote; only inside
   * transaction(). With `check`, each change is first held against the row as it is now
   * (another process wrote the vault since): an entry is added only for a live row of
   * that name, and removed only when no live row of that name holds it.
   */
  applyNameIndexChanges(scope: VaultScope, changes: readonly NameIndexChange[], check: boolean): void {
    const base = scopeKey(scope);
    const holds = (change: NameIndexChange): boolean => {
      const row = this.#handles.archives.get([...base, change.id]);
      return row !== undefined && isLive({ ...row, id: change.id }) && row.name === change.name;
    };
    const wanted = check ? changes.filter((change) => holds(change) === change.add) : changes;
    this.#applyNameIndexChanges(base, wanted);
  }

  /** Puts back a row as it was before markDeleted (none: the tombstone goes). */
  undoDelete(scope: VaultScope, id: string, previous: ArchiveRecord | undefined): void {
    this.transaction(() => {
      if (previous !== undefined) this.#writeArchive(scope, previous);
      else this.#handles.archives.removeSync([...scopeKey(scope), id]);
    });
  }

  /**
   * Tombstone: the row stays, hidden from lookups, until an inventory dated after the
   * delete no longer lists it. An archive the cache did not know gets a tombstone too, so
   * that an older inventory still listing it does not bring it back.
   */
  markDeleted(scope: VaultScope, id: string, when: number): void {
    this.transaction(() => {
      const record = this.getArchive(scope, id);
      this.#writeArchive(scope, { ...(record ?? { id, name: '' }), deletedHere: when }, record);
    });
  }

  /** Forget everything about a vault (it was deleted), a batch per transaction. */
  forgetVault(scope: VaultScope): void {
    const base = scopeKey(scope);
    const range = { start: base, end: [...base, AFTER_ANY_STRING] };
    for (const db of [this.#handles.names, this.#handles.archives, this.#handles.parts, this.#handles.uploads, this.#handles.migrations, this.#handles.migrationParts] as Database<
      unknown,
      Key
    >[]) {
      for (;;) {
        const keys = [...db.getKeys({ ...range, limit: 10_000 })];
        if (keys.length === 0) break;
        this.transaction(() => {
          for (const key of keys) db.removeSync(key);
        });
      }
    }
    this.transaction(() => {
      this.#handles.syncStates.removeSync(base);
      this.#handles.writeCounts.removeSync(base);
    });
  }

  /** Live archives holding exactly this name, without scanning the vault. */
  findByName(scope: VaultScope, name: string): ArchiveRecord[] {
    return [...this.#indexedLiveArchives(scope, name)];
  }

  /** Live archives sorted by name (byte order), then id. Streams from the index. */
  *liveArchives(scope: VaultScope): Generator<ArchiveRecord> {
    yield* this.#indexedLiveArchives(scope);
  }

  /** The live archives the index holds for the vault (for this name only, when given), in index order. */
  *#indexedLiveArchives(scope: VaultScope, name?: string): Generator<ArchiveRecord> {
    const prefix = name === undefined ? scopeKey(scope) : [...scopeKey(scope), name];
    for (const key of this.#handles.names.getKeys({ start: prefix, end: [...prefix, AFTER_ANY_STRING] })) {
      const id = key[4];
      if (typeof id !== 'string') continue;
      const record = this.liveArchive(scope, id);
      if (record !== undefined) yield record;
    }
  }

  /** The vaults holding live archives, one index lookup per vault (shell completion). */
  *vaultScopes(): Generator<VaultScope> {
    let start: Key = [];
    for (;;) {
      const [key] = this.#handles.names.getKeys({ start, limit: 1 });
      if (key === undefined) return;
      const [account, region, vault] = key;
      if (typeof account !== 'string' || typeof region !== 'string' || typeof vault !== 'string') return;
      yield { account, region, vault };
      start = [account, region, vault, AFTER_ANY_STRING];
    }
  }

  /** Names and ids of live archives, sorted by name then id, from the index alone. */
  *liveNames(scope: VaultScope): Generator<Pick<ArchiveRecord, 'id' | 'name'>> {
    const base = scopeKey(scope);
    for (const key of this.#handles.names.getKeys({ start: base, end: [...base, AFTER_ANY_STRING] })) {
      const [, , , name, id] = key;
      if (typeof name === 'string' && typeof id === 'string') yield { id, name };
    }
  }

  /** Inside transaction(): add the archive unless its id is known; whether it was added. */
  addArchiveIfUnknown(scope: VaultScope, record: ArchiveRecord): boolean {
    if (this.getArchive(scope, record.id) !== undefined) return false;
    this.#writeArchive(scope, record);
    return true;
  }

  // --- imports of the Python glacier-cli's cache ---

  oldCacheImport(file: string, account: string, region: string): OldCacheImport | undefined {
    return this.#handles.oldImports.get([file, account, region]);
  }

  /** Inside transaction(), with the rows it imported. */
  rememberOldCacheImport(file: string, account: string, region: string, outcome: OldCacheImport): void {
    this.#handles.oldImports.putSync([file, account, region], outcome);
  }

  // --- pending multipart uploads ---

  putUpload(scope: VaultScope, upload: PendingUpload): void {
    this.transaction(() => this.#handles.uploads.putSync([...scopeKey(scope), upload.uploadId], upload));
  }

  /** Records that CompleteMultipartUpload is about to be sent for an upload. */
  markCompleting(scope: VaultScope, uploadId: string, completing: { treeHash: string; size: number }): void {
    const key = [...scopeKey(scope), uploadId];
    this.transaction(() => {
      const upload = this.#handles.uploads.get(key);
      if (upload !== undefined) this.#handles.uploads.putSync(key, { ...upload, completing });
    });
  }

  /** An upload's archive recorded and its pending upload (if any) dropped, in one transaction. */
  recordUploaded(scope: VaultScope, record: ArchiveRecord, uploadId: string | undefined): void {
    this.transaction(() => {
      this.#writeArchive(scope, record);
      if (uploadId !== undefined) this.#removeUpload(scope, uploadId);
    });
  }

  *pendingUploads(scope: VaultScope): Generator<PendingUpload> {
    const base = scopeKey(scope);
    for (const { value } of this.#handles.uploads.getRange({ start: base, end: [...base, AFTER_ANY_STRING] })) {
      yield value;
    }
  }

  recordPart(scope: VaultScope, uploadId: string, part: UploadedPart): void {
    this.transaction(() => this.#handles.parts.putSync([...scopeKey(scope), uploadId, part.index], part.treeHash));
  }

  /** The parts recorded for an upload, in index order. */
  *uploadedParts(scope: VaultScope, uploadId: string): Generator<UploadedPart> {
    const base = [...scopeKey(scope), uploadId];
    for (const { key, value } of this.#handles.parts.getRange({ start: base, end: [...base, Number.MAX_SAFE_INTEGER] })) {
      const index = key[4];
      if (typeof index === 'number') yield { index, treeHash: value };
    }
  }

  removeUpload(scope: VaultScope, uploadId: string): void {
    this.transaction(() => this.#removeUpload(scope, uploadId));
  }

  #removeUpload(scope: VaultScope, uploadId: string): void {
    const base = [...scopeKey(scope), uploadId];
    for (const key of [...this.#handles.parts.getKeys({ start: base, end: [...base, Number.MAX_SAFE_INTEGER] })]) {
      this.#handles.parts.removeSync(key);
    }
    this.#handles.uploads.removeSync(base);
  }

  // --- inventory sync state ---

  syncState(scope: VaultScope): SyncState {
    return this.#handles.syncStates.get(scopeKey(scope)) ?? {};
  }

  putSyncState(scope: VaultScope, state: SyncState): void {
    this.transaction(() => this.#handles.syncStates.putSync(scopeKey(scope), state));
  }

  // --- migrations out of the vault (vault migrate) ---

  migration(scope: VaultScope, destination: string, archiveId: string): MigrationRecord | undefined {
    return this.#handles.migrations.get([...scopeKey(scope), destination, archiveId]);
  }

  putMigration(scope: VaultScope, destination: string, archiveId: string, record: MigrationRecord): void {
    this.transaction(() => this.#handles.migrations.putSync([...scopeKey(scope), destination, archiveId], record));
  }

  migrationRate(scope: VaultScope, destination: string): number | undefined {
    return this.#handles.migrationRates.get([...scopeKey(scope), destination]);
  }

  putMigrationRate(scope: VaultScope, destination: string, bytesPerSecond: number): void {
    this.transaction(() => this.#handles.migrationRates.putSync([...scopeKey(scope), destination], bytesPerSecond));
  }

  putMigrationPart(scope: VaultScope, uploadId: string, part: MigrationPart): void {
    this.transaction(() => this.#handles.migrationParts.putSync([...scopeKey(scope), uploadId, part.partNumber], part));
  }

  /** The parts recorded for an S3 upload, by part number. */
  *migrationParts(scope: VaultScope, uploadId: string): Generator<MigrationPart> {
    const base = [...scopeKey(scope), uploadId];
    for (const { value } of this.#handles.migrationParts.getRange({ start: base, end: [...base, Number.MAX_SAFE_INTEGER] })) yield value;
  }

  forgetMigrationParts(scope: VaultScope, uploadId: string): void {
    const base = [...scopeKey(scope), uploadId];
    this.transaction(() => {
      for (const key of this.#handles.migrationParts.getKeys({ start: base, end: [...base, Number.MAX_SAFE_INTEGER] })) this.#handles.migrationParts.removeSync(key);
    });
  }
}
