// The local cache: one LMDB environment shared by every glacier process of a user
// (git annex -J8 runs eight at once). LMDB serialises writers across processes, and every
// write here is a synchronous transaction, so a process that exits right after a write
// has it on disk.
import { mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { CliError, FailureError } from '../errors.js';
import type { ArchiveRecord, PendingUpload, SyncState, UploadedPart, VaultScope } from './records.js';

type Key = (string | number)[];

/** An archive row as stored: the id is already in its key. */
type StoredArchive = Omit<ArchiveRecord, 'id'>;

/** One archive to write, and its row as it was (read in the same transaction). */
export interface ArchiveChange {
  record: ArchiveRecord;
  previous: ArchiveRecord | undefined;
}

/**
 * NAME NUL ID: sorts as the index key [NAME, ID] does, since names and ids are printable
 * ASCII (a NUL sorts before every character that can follow a shorter name).
 */
function nameKeyText(record: ArchiveRecord): string {
  return `${record.name}\u0000${record.id}`;
}

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

export class GlacierCache {
  readonly #root: RootDatabase;
  readonly #archives: Database<StoredArchive, Key>;
  readonly #names: Database<true, Key>;
  readonly #identities: Database<string, string>;
  readonly #uploads: Database<PendingUpload, Key>;
  readonly #parts: Database<string, Key>;
  readonly #syncStates: Database<SyncState, Key>;

  readonly #dir: string;

  private constructor(root: RootDatabase, dir: string) {
    this.#root = root;
    this.#dir = dir;
    this.#archives = root.openDB({ name: 'archives' });
    this.#names = root.openDB({ name: 'names' });
    this.#identities = root.openDB({ name: 'identities' });
    this.#uploads = root.openDB({ name: 'uploads' });
    this.#parts = root.openDB({ name: 'parts' });
    this.#syncStates = root.openDB({ name: 'sync' });
  }

  static open(cacheDir: string): GlacierCache {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    chmodSync(cacheDir, 0o700);
    // No useWritemap: with it LMDB extends the file to the whole map as a sparse file and
    // writes through the map, so a full disk kills the process with SIGBUS in mid-write
    // (no message; git-annex then takes a dead checkpresent for "cannot tell" and skips
    // the copy). Without it a full disk is an error like any other. The map is sized once,
    // as address space only (the file grows with the data): a map grown while other
    // processes used it was corrupted (the concurrency test, eight writers at once). And
    // every commit is flushed before it returns: overlappingSync lost committed
    // transactions under the same test.
    const root = open({
      path: join(cacheDir, 'lmdb'),
      maxDbs: 16,
      mapSize: 64 * 1024 ** 3,
      overlappingSync: false,
    });
    return new GlacierCache(root, cacheDir);
  }

  close(): void {
    void this.#root.close();
  }

  // --- identities: which account a set of credentials belongs to ---

  accountOf(identity: string): string | undefined {
    return this.#identities.get(identity);
  }

  rememberAccount(identity: string, account: string): void {
    this.transaction(() => this.#identities.putSync(identity, account));
  }

  // --- archives ---

  getArchive(scope: VaultScope, id: string): ArchiveRecord | undefined {
    const row = this.#archives.get([...scopeKey(scope), id]);
    return row === undefined ? undefined : { ...row, id };
  }

  /**
   * Run `work` as one write transaction: reads inside it see its writes, and no other
   * process writes in between (read-modify-write under `git annex -J8`). Use
   * writeArchive / forgetArchive inside it.
   */
  transaction<T>(work: () => T): T {
    try {
      return this.#root.transactionSync(work);
    } catch (failure) {
      throw this.#writeFailure(failure);
    }
  }

  /** LMDB's own failures (a full disk: EIO or ENOSPC) become one clear line. */
  #writeFailure(failure: unknown): unknown {
    const code = (failure as { code?: unknown } | null)?.code;
    if (failure instanceof CliError || !(failure instanceof Error) || typeof code !== 'number') return failure;
    return new FailureError(`cannot write the cache in ${this.#dir}: ${failure.message} (is the disk full?)`);
  }

  /** Insert or replace archives in one transaction, keeping the name index in step. */
  putArchives(scope: VaultScope, records: Iterable<ArchiveRecord>): void {
    this.transaction(() => {
      for (const record of records) this.writeArchive(scope, record);
    });
  }

  putArchive(scope: VaultScope, record: ArchiveRecord): void {
    this.putArchives(scope, [record]);
  }

  /** Insert or replace one archive; only inside transaction(). */
  writeArchive(scope: VaultScope, record: ArchiveRecord, previous = this.getArchive(scope, record.id)): void {
    this.writeArchives(scope, [{ record, previous }]);
  }

  /**
   * Insert or replace archives, keeping the name index in step; only inside transaction().
   * Give the changes in id order, and a batch spread over the whole B-tree visits its pages
   * in order (a sync writes a third faster); index entries are put in their key order here.
   */
  writeArchives(scope: VaultScope, changes: readonly ArchiveChange[]): void {
    const base = scopeKey(scope);
    const unindex: string[] = [];
    const index: string[] = [];
    for (const { record, previous } of changes) {
      const wasIndexed = previous !== undefined && previous.deletedHere === undefined;
      const isIndexed = record.deletedHere === undefined;
      const sameIndexEntry = wasIndexed && isIndexed && previous.name === record.name;
      if (wasIndexed && !sameIndexEntry) unindex.push(nameKeyText(previous));
      if (isIndexed && !sameIndexEntry) index.push(nameKeyText(record));
      this.#archives.putSync([...base, record.id], stored(record));
    }
    // The engine's own sort of plain strings; a comparator function costs seconds per million.
    for (const text of unindex.sort()) this.#names.removeSync([...base, ...splitNameKeyText(text)]);
    for (const text of index.sort()) this.#names.putSync([...base, ...splitNameKeyText(text)], true);
  }

  /** Forget one archive entirely; only inside transaction(). */
  forgetArchive(scope: VaultScope, id: string): void {
    const base = scopeKey(scope);
    const previous = this.#archives.get([...base, id]);
    if (previous === undefined) return;
    if (previous.deletedHere === undefined) this.#names.removeSync([...base, previous.name, id]);
    this.#archives.removeSync([...base, id]);
  }

  /** Forget archives entirely (tombstones whose deletion the inventory confirmed). */
  removeArchives(scope: VaultScope, ids: Iterable<string>): void {
    this.transaction(() => {
      for (const id of ids) this.forgetArchive(scope, id);
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
      this.writeArchive(scope, { ...(record ?? { id, name: '' }), deletedHere: when }, record);
    });
  }

  /** Forget everything about a vault (it was deleted), a batch per transaction. */
  forgetVault(scope: VaultScope): void {
    const base = scopeKey(scope);
    const range = { start: base, end: [...base, AFTER_ANY_STRING] };
    for (const db of [this.#names, this.#archives, this.#parts, this.#uploads] as Database<unknown, Key>[]) {
      for (;;) {
        const keys = [...db.getKeys({ ...range, limit: 10_000 })];
        if (keys.length === 0) break;
        this.transaction(() => {
          for (const key of keys) db.removeSync(key);
        });
      }
    }
    this.transaction(() => this.#syncStates.removeSync(base));
  }

  /** Live archives holding exactly this name, without scanning the vault. */
  findByName(scope: VaultScope, name: string): ArchiveRecord[] {
    const base = [...scopeKey(scope), name];
    const found: ArchiveRecord[] = [];
    for (const key of this.#names.getKeys({ start: base, end: [...base, AFTER_ANY_STRING] })) {
      const id = key[4];
      if (typeof id !== 'string') continue;
      const record = this.getArchive(scope, id);
      if (record !== undefined && record.deletedHere === undefined) found.push(record);
    }
    return found;
  }

  /** Live archives sorted by name (byte order), then id. Streams from the index. */
  *liveArchives(scope: VaultScope): Generator<ArchiveRecord> {
    const base = scopeKey(scope);
    for (const key of this.#names.getKeys({ start: base, end: [...base, AFTER_ANY_STRING] })) {
      const id = key[4];
      if (typeof id !== 'string') continue;
      const record = this.getArchive(scope, id);
      if (record !== undefined && record.deletedHere === undefined) yield record;
    }
  }

  /** Names and ids of live archives, sorted by name then id, from the index alone. */
  *liveNames(scope: VaultScope): Generator<Pick<ArchiveRecord, 'id' | 'name'>> {
    const base = scopeKey(scope);
    for (const key of this.#names.getKeys({ start: base, end: [...base, AFTER_ANY_STRING] })) {
      const [, , , name, id] = key;
      if (typeof name === 'string' && typeof id === 'string') yield { id, name };
    }
  }

  /** Every archive row of the vault, tombstones included, in id order. */
  *allArchives(scope: VaultScope): Generator<ArchiveRecord> {
    const base = scopeKey(scope);
    for (const { key, value } of this.#archives.getRange({ start: base, end: [...base, AFTER_ANY_STRING] })) {
      const id = key[3];
      if (typeof id === 'string') yield { ...value, id };
    }
  }

  // --- pending multipart uploads ---

  putUpload(scope: VaultScope, upload: PendingUpload): void {
    this.transaction(() => this.#uploads.putSync([...scopeKey(scope), upload.uploadId], upload));
  }

  *pendingUploads(scope: VaultScope): Generator<PendingUpload> {
    const base = scopeKey(scope);
    for (const { value } of this.#uploads.getRange({ start: base, end: [...base, AFTER_ANY_STRING] })) {
      yield value;
    }
  }

  recordPart(scope: VaultScope, uploadId: string, part: UploadedPart): void {
    this.transaction(() => this.#parts.putSync([...scopeKey(scope), uploadId, part.index], part.treeHash));
  }

  /** The parts recorded for an upload, in index order. */
  *uploadedParts(scope: VaultScope, uploadId: string): Generator<UploadedPart> {
    const base = [...scopeKey(scope), uploadId];
    for (const { key, value } of this.#parts.getRange({ start: base, end: [...base, Number.MAX_SAFE_INTEGER] })) {
      const index = key[4];
      if (typeof index === 'number') yield { index, treeHash: value };
    }
  }

  removeUpload(scope: VaultScope, uploadId: string): void {
    const base = [...scopeKey(scope), uploadId];
    this.transaction(() => {
      for (const key of this.#parts.getKeys({ start: base, end: [...base, Number.MAX_SAFE_INTEGER] })) {
        this.#parts.removeSync(key);
      }
      this.#uploads.removeSync(base);
    });
  }

  // --- inventory sync state ---

  syncState(scope: VaultScope): SyncState {
    return this.#syncStates.get(scopeKey(scope)) ?? {};
  }

  putSyncState(scope: VaultScope, state: SyncState): void {
    this.transaction(() => this.#syncStates.putSync(scopeKey(scope), state));
  }
}
