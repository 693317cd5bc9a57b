// The migration manifest: one JSON object per line, appended as each archive reaches a
// state worth keeping (migrated, found already there, failed, source deleted). The last
// line of an archive id is its state. Opened without following a symlink.
import { constants, mkdirSync, openSync, writeSync, closeSync, fstatSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ManifestEntry {
  archiveId: string;
  name: string;
  size?: number;
  treeHash?: string;
  /** s3://BUCKET/KEY or the file's path. */
  destination: string;
  /** Why the key is not the archive's name. */
  keyReason?: string;
  /** S3: the object's SHA-256 checksum (BASE64-PARTS); directory: the file's tree hash. */
  checksum?: string;
  status: 'migrated' | 'present' | 'failed' | 'source-deleted';
  error?: string;
}

export class Manifest {
  readonly path: string;
  #fd: number | undefined;
  #appended = 0;

  constructor(path: string) {
    this.path = path;
  }

  /** Lines appended by this run. */
  get appended(): number {
    return this.#appended;
  }

  append(entry: ManifestEntry): void {
    if (this.#fd === undefined) {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      this.#fd = openSync(this.path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    }
    const line = Buffer.from(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
    for (let done = 0; done < line.length;) done += writeSync(this.#fd, line, done, line.length - done);
    this.#appended++;
  }

  /** The size of the file, or 0 when nothing was ever written. */
  size(): number {
    if (this.#fd === undefined) return 0;
    return fstatSync(this.#fd).size;
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
