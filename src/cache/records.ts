// What the cache stores. Times are milliseconds since the epoch.

/** A vault as the cache partitions it: by account and region, never by access key. */
export interface VaultScope {
  account: string;
  region: string;
  vault: string;
}

export interface ArchiveRecord {
  id: string;
  /** The archive description; '' when Glacier holds none. */
  name: string;
  size?: number;
  /** Hex SHA-256 tree hash. */
  treeHash?: string;
  /** Glacier's CreationDate, ISO 8601. */
  creationDate?: string;
  /** When this machine uploaded it (or first learned of it by an upload). */
  createdHere?: number;
  /** When an inventory last listed it (docs/compatibility.md: max(InventoryDate, job creation - 72 h)). */
  lastSeenUpstream?: number;
  /** Tombstone: deleted from here at this time; hidden from every lookup. */
  deletedHere?: number;
  /**
   * The InventoryDate of an inventory that no longer listed it though it had been seen
   * upstream before: evidence of absence newer than any of presence, until an inventory
   * lists it again. Such an archive is not live (not listed, never "present").
   */
  missingFrom?: number;
  /** The sync generation (SyncState.generation) of the last inventory that listed it. */
  inventoryGeneration?: number;
}

/** A multipart upload in progress, kept so that `--resume` can finish it. */
export interface PendingUpload {
  uploadId: string;
  name: string;
  partSize: number;
  /** The input as given on the command line: an absolute file path, or '-' for stdin. */
  source: string;
  /** Size of a file input when the upload started (to refuse a changed file). */
  sourceSize?: number;
  sourceMtimeMs?: number;
  startedAt: number;
  /**
   * Set just before CompleteMultipartUpload is sent: the archive it asks for. When the
   * upload id is gone afterwards, the archive may exist though this cache never heard.
   */
  completing?: { treeHash: string; size: number };
}

/** One part known to be stored in Glacier: its index and hex tree hash. */
export interface UploadedPart {
  index: number;
  treeHash: string;
}

/** What `vault sync` remembers between runs. */
export interface SyncState {
  /** The newest inventory applied: its InventoryDate (ms) and job id. */
  inventoryDate?: number;
  inventoryJobId?: string;
  /** When the cache was last reconciled with an inventory. */
  syncedAt?: number;
  /**
   * Counts inventory passes; each pass stamps the archives it lists with its number, so
   * the archives it did not list are found by one pass over the vault's rows.
   */
  generation?: number;
}

/** Neither deleted from here nor missing from the newest inventory. */
export function isLive(record: ArchiveRecord): boolean {
  return record.deletedHere === undefined && record.missingFrom === undefined;
}

/** When an archive was last known to exist: seen upstream, else created here. */
export function lastSeen(record: ArchiveRecord): number | undefined {
  return record.lastSeenUpstream ?? record.createdHere;
}

/** How far one archive's migration to one destination went (vault migrate). */
export interface MigrationRecord {
  /**
   * 'absent': the destination was found not to hold it; 'uploading': bytes are going out;
   * 'done': verified there (and 'deleted' from the vault afterwards, with --delete-source).
   */
  status: 'absent' | 'uploading' | 'done' | 'deleted';
  /** The S3 multipart upload in progress, to abort rather than orphan. */
  uploadId?: string;
  /** The S3 key or the path under the directory. */
  key: string;
  /** The destination's checksum of the bytes, as read back. */
  checksum?: string;
  /** When the status was set. */
  at: number;
}

/** One part of an S3 multipart upload of a migration, sent after its segment was verified. */
export interface MigrationPart {
  partNumber: number;
  /** Hex tree hash of the segment, verified against Glacier's. */
  root: string;
  /** Base64 SHA-256 of the part, sent as its checksum. */
  sha256: string;
  etag: string;
  size: number;
}

/** What became of importing the Python glacier-cli's cache file for one account and region. */
export interface OldCacheImport {
  /** 'imported', or 'unusable' (corrupt, foreign): tried again only once the file changes. */
  outcome: 'imported' | 'unusable';
  at: number;
  /** The file as it was then. */
  size: number;
  mtimeMs: number;
  imported?: number;
}
