// The Python glacier-cli's cache, read only: a SQLite file whose table `archive` holds, per
// archive, its id, name, vault, the access key id it was written under, and three times
// in Unix seconds (last seen upstream, created here, deleted here; NULL when unknown).
// It is read whole into memory by sql.js (SQLite compiled to WebAssembly: no native
// build), so the file is never written, never locked, and open only for the read.
// Load this module only on the import path: the WebAssembly costs startup time.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import initSqlJs, { type Database, type SqlValue } from 'sql.js';

/** One row of the old table, its times in milliseconds. */
export interface OldArchiveRow {
  id: string;
  /** '' when the old tool held none. */
  name: string;
  vault: string;
  /** The access key id the row was written under. */
  key: string;
  lastSeenUpstream?: number;
  createdHere?: number;
  deletedHere?: number;
}

/** Why the file cannot be imported; `transient` when trying again later may work. */
export class OldCacheUnusable extends Error {
  readonly transient: boolean;
  constructor(message: string, transient = false) {
    super(message);
    this.name = 'OldCacheUnusable';
    this.transient = transient;
  }
}

const COLUMNS = ['id', 'name', 'vault', 'key', 'last_seen_upstream', 'created_here', 'deleted_here'];
const SQLITE_MAGIC = 'SQLite format 3\u0000';
const VAULT_NAME = /^[A-Za-z0-9_.-]{1,255}$/;
const ARCHIVE_ID = /^[\x21-\x7e]{1,1024}$/;
const ARCHIVE_NAME = /^[\x20-\x7e]{0,1024}$/;

export class OldCacheFile {
  readonly path: string;
  readonly #db: Database;

  private constructor(path: string, db: Database) {
    this.path = path;
    this.#db = db;
  }

  /** Read and check the file; OldCacheUnusable says why it cannot be used. */
  static async open(path: string): Promise<OldCacheFile> {
    const bytes = readOldFile(path);
    checkHeader(path, bytes);
    const SQL = await initSqlJs({ locateFile: (file: string) => createRequire(import.meta.url).resolve(`sql.js/dist/${file}`) });
    let db: Database;
    try {
      db = new SQL.Database(bytes);
    } catch (failure) {
      throw new OldCacheUnusable(`${path} is not a readable SQLite database (${messageOf(failure)})`);
    }
    const file = new OldCacheFile(path, db);
    try {
      file.#checkSchema();
    } catch (failure) {
      file.close();
      throw failure;
    }
    return file;
  }

  close(): void {
    this.#db.close();
  }

  /** Rows per access key id. */
  keyCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    this.#query('SELECT "key", count(*) FROM archive GROUP BY "key"', [], (row) => {
      counts.set(String(row[0]), Number(row[1]));
    });
    return counts;
  }

  /**
   * The rows written under `key`, by vault then id. A row that cannot be what the old
   * tool wrote (no id, a vault name Glacier refuses) is passed to `onInvalid` instead.
   */
  rows(key: string, onRow: (row: OldArchiveRow) => void, onInvalid: () => void): void {
    this.#query('SELECT id, name, vault, "key", last_seen_upstream, created_here, deleted_here FROM archive WHERE "key" = ? ORDER BY vault, id', [key], (values) => {
      const row = toRow(values);
      if (row === undefined) onInvalid();
      else onRow(row);
    });
  }

  #checkSchema(): void {
    const present = new Set<string>();
    this.#query('PRAGMA table_info(archive)', [], (row) => present.add(String(row[1])));
    const missing = COLUMNS.filter((column) => !present.has(column));
    if (missing.length === COLUMNS.length) throw new OldCacheUnusable(`${this.path} has no table 'archive': not a glacier-cli cache`);
    if (missing.length > 0) throw new OldCacheUnusable(`${this.path} is not a glacier-cli cache: its table 'archive' lacks ${missing.join(', ')}`);
  }

  #query(sql: string, params: SqlValue[], onRow: (row: SqlValue[]) => void): void {
    let statement;
    try {
      statement = this.#db.prepare(sql, params);
      while (statement.step()) onRow(statement.get());
    } catch (failure) {
      if (failure instanceof OldCacheUnusable) throw failure;
      throw new OldCacheUnusable(`${this.path} cannot be read as SQLite (${messageOf(failure)})`);
    } finally {
      statement?.free();
    }
  }
}

function readOldFile(path: string): Uint8Array {
  // A write in progress (or one cut short) leaves its changes in the journal: the main
  // file alone may be torn until SQLite rolls the journal back.
  for (const suffix of ['-journal', '-wal']) {
    let size = 0;
    try {
      size = statSync(`${path}${suffix}`).size;
    } catch {
      continue;
    }
    if (size > 0) throw new OldCacheUnusable(`${path} is in use (${path}${suffix} exists); try again when the old glacier-cli is done with it`, true);
  }
  try {
    return readFileSync(path);
  } catch (failure) {
    throw new OldCacheUnusable(`cannot read ${path}: ${messageOf(failure)}`, (failure as NodeJS.ErrnoException).code === 'EAGAIN');
  }
}

/** The header names the page size and page count: a shorter file was cut short. */
function checkHeader(path: string, bytes: Uint8Array): void {
  if (bytes.length < 100 || Buffer.from(bytes.subarray(0, 16)).toString('latin1') !== SQLITE_MAGIC) {
    throw new OldCacheUnusable(`${path} is not a SQLite database`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rawPageSize = view.getUint16(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pages = view.getUint32(28);
  // The page count is trusted only when the two change counters agree (SQLite's own rule).
  const countValid = view.getUint32(24) === view.getUint32(92) && pages > 0;
  if (bytes.length % pageSize !== 0 || (countValid && bytes.length < pages * pageSize)) {
    throw new OldCacheUnusable(`${path} is truncated (${bytes.length} bytes)`);
  }
}

function toRow(values: SqlValue[]): OldArchiveRow | undefined {
  const [id, name, vault, key, lastSeenUpstream, createdHere, deletedHere] = values;
  if (typeof id !== 'string' || !ARCHIVE_ID.test(id)) return undefined;
  if (typeof vault !== 'string' || !VAULT_NAME.test(vault)) return undefined;
  if (name !== null && (typeof name !== 'string' || !ARCHIVE_NAME.test(name))) return undefined;
  const row: OldArchiveRow = { id, name: name ?? '', vault, key: String(key) };
  const times = { lastSeenUpstream, createdHere, deletedHere };
  for (const [field, value] of Object.entries(times) as [keyof typeof times, SqlValue | undefined][]) {
    if (value === null || value === undefined) continue;
    // The old tool stored time.time() (a float) and whole seconds alike.
    const seconds = typeof value === 'string' ? Number(value) : value;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return undefined;
    row[field] = Math.round(seconds * 1000);
  }
  return row;
}

function messageOf(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}
