// Multipart uploads (uploading-archive-mpu.md): every part is written at its offset into
// one data file, its leaf hashes at their place in one leaves file, and its range and
// tree hash appended to parts.log (last write wins). Completing is checks and a rename.
import { appendFile, mkdir, open, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidParameter, notFound } from '../errors.js';
import { newUploadId } from '../ids.js';
import { MiB, rootOfNodes } from '../treeHash.js';
import { isMissingFile, readJson, writeJsonAtomic } from './files.js';
import { LEAF_HASH_BYTES } from './leafHashes.js';
import type { Vault } from './vaults.js';

export interface UploadMeta {
  id: string;
  description: string | null;
  partSize: number;
  creationDate: number;
  /** The last part received (absent in uploads that never received one). */
  lastActivity?: number;
}

/**
 * Glacier "may remove" an upload after 24 hours without activity (api-multipart-initiate-
 * upload.md); the emulator always does, when the upload is next looked at.
 */
const INACTIVITY_LIMIT_MS = 24 * 3600 * 1000;

export interface PartRecord {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive (the RangeInBytes of api-multipart-list-parts.md). */
  end: number;
  treeHash: string;
}

export interface CompletedUpload {
  archiveId: string;
  treeHash: string;
  size: number;
}

export const MAX_PARTS = 10_000;
const MAX_PART_SIZE = 4096 * MiB;

export function checkPartSize(text: string | undefined): number {
  if (text === undefined) throw invalidParameter('Part size must be specified: x-amz-part-size');
  const size = Number(text);
  if (!/^\d+$/.test(text) || size < MiB || size > MAX_PART_SIZE || !Number.isInteger(Math.log2(size / MiB))) {
    throw invalidParameter(`Invalid part size: ${text}. Part size must not be null, must be a power of two and be between 1048576 and 4294967296 bytes.`);
  }
  return size;
}

export class MultipartUpload {
  readonly parts = new Map<number, PartRecord>();

  constructor(
    readonly dir: string,
    readonly meta: UploadMeta,
  ) {}

  get dataPath(): string {
    return join(this.dir, 'data');
  }

  get leavesPath(): string {
    return join(this.dir, 'leaves');
  }

  async recordPart(part: PartRecord, now: number): Promise<void> {
    await appendFile(join(this.dir, 'parts.log'), `${JSON.stringify(part)}\n`);
    this.parts.set(part.start, part);
    this.meta.lastActivity = now;
    await writeJsonAtomic(join(this.dir, 'meta.json'), this.meta);
  }

  isAbandoned(now: number): boolean {
    return now - (this.meta.lastActivity ?? this.meta.creationDate) > INACTIVITY_LIMIT_MS;
  }

  async forgetPart(start: number): Promise<void> {
    if (!this.parts.has(start)) return;
    await appendFile(join(this.dir, 'parts.log'), `${JSON.stringify({ start, removed: true })}\n`);
    this.parts.delete(start);
  }

  async writeLeaves(start: number, leaves: Buffer): Promise<void> {
    const file = await open(this.leavesPath, 'r+');
    try {
      await file.write(leaves, 0, leaves.length, (start / MiB) * LEAF_HASH_BYTES);
    } finally {
      await file.close();
    }
  }

  sortedParts(): PartRecord[] {
    return [...this.parts.values()].sort((a, b) => a.start - b.start);
  }

  /**
   * Checks that the parts cover exactly [0, size) with full parts but the last and that
   * their tree hash is `treeHash`; then trims the files to the archive size.
   */
  async assemble(size: number, treeHash: string): Promise<void> {
    const { partSize } = this.meta;
    const count = Math.ceil(size / partSize);
    if (count > MAX_PARTS) throw invalidParameter(`Archive size ${size} needs more than ${MAX_PARTS} parts of ${partSize} bytes`);
    const roots: Buffer[] = [];
    for (let index = 0; index < count; index++) {
      const start = index * partSize;
      const expectedEnd = Math.min(start + partSize, size) - 1;
      const part = this.parts.get(start);
      if (part === undefined) throw invalidParameter(`Archive size ${size} does not match the uploaded parts: no part at range ${start}-${expectedEnd}`);
      if (part.end !== expectedEnd) {
        throw invalidParameter(`Archive size ${size} does not match the uploaded parts: part ${part.start}-${part.end} should be ${start}-${expectedEnd}`);
      }
      roots.push(Buffer.from(part.treeHash, 'hex'));
    }
    for (const part of this.parts.values()) {
      if (part.start >= count * partSize) throw invalidParameter(`Archive size ${size} does not match the uploaded parts: part ${part.start}-${part.end} lies beyond it`);
    }
    if (rootOfNodes(roots).toString('hex') !== treeHash.toLowerCase()) throw invalidParameter('Checksum mismatch');
    await truncate(this.dataPath, size);
    await truncate(this.leavesPath, Math.ceil(size / MiB) * LEAF_HASH_BYTES);
  }
}

/** The multipart uploads of every vault, loaded from disk on first use. */
export class MultipartUploads {
  readonly #loaded = new Map<string, Promise<MultipartUpload | undefined>>();

  async initiate(vault: Vault, partSize: number, description: string | null, now: number): Promise<MultipartUpload> {
    const meta: UploadMeta = { id: newUploadId(), description, partSize, creationDate: now };
    const dir = vault.path('uploads', meta.id);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'data'), '');
    await writeFile(join(dir, 'leaves'), '');
    await writeFile(join(dir, 'parts.log'), '');
    await writeJsonAtomic(join(dir, 'meta.json'), meta);
    const upload = new MultipartUpload(dir, meta);
    this.#loaded.set(this.#key(vault, meta.id), Promise.resolve(upload));
    return upload;
  }

  #key(vault: Vault, uploadId: string): string {
    return `${vault.dir}\0${uploadId}`;
  }

  find(vault: Vault, uploadId: string): Promise<MultipartUpload | undefined> {
    const key = this.#key(vault, uploadId);
    let loading = this.#loaded.get(key);
    if (loading === undefined) {
      loading = this.#load(vault, uploadId);
      this.#loaded.set(key, loading);
      loading.then(
        (upload) => upload === undefined && this.#loaded.delete(key),
        () => this.#loaded.delete(key),
      );
    }
    return loading;
  }

  /** The upload, unless it never existed, was finished, or was abandoned (then removed). */
  async get(vault: Vault, uploadId: string, now: number): Promise<MultipartUpload> {
    const upload = await this.find(vault, uploadId);
    if (upload === undefined || (await this.#removeIfAbandoned(vault, upload, now))) {
      throw notFound(`Multipart upload ID not found: ${uploadId}`);
    }
    return upload;
  }

  async #removeIfAbandoned(vault: Vault, upload: MultipartUpload, now: number): Promise<boolean> {
    if (!upload.isAbandoned(now)) return false;
    await this.remove(vault, upload);
    return true;
  }

  async #load(vault: Vault, uploadId: string): Promise<MultipartUpload | undefined> {
    if (!/^[A-Za-z0-9_-]+$/.test(uploadId)) return undefined;
    const dir = vault.path('uploads', uploadId);
    const meta = await readJson<UploadMeta>(join(dir, 'meta.json'));
    if (meta === undefined) return undefined;
    const upload = new MultipartUpload(dir, meta);
    const log = await readFile(join(dir, 'parts.log'), 'utf8');
    for (const line of log.split('\n')) {
      if (line === '') continue;
      const record = JSON.parse(line) as PartRecord | { start: number; removed: true };
      if ('removed' in record) upload.parts.delete(record.start);
      else upload.parts.set(record.start, record);
    }
    return upload;
  }

  /** Ids of the vault's uploads in progress, oldest first. */
  async list(vault: Vault, now: number): Promise<MultipartUpload[]> {
    let names: string[];
    try {
      names = await readdir(vault.path('uploads'));
    } catch (error) {
      if (isMissingFile(error)) return [];
      throw error;
    }
    const uploads: MultipartUpload[] = [];
    for (const name of names) {
      if (name.endsWith('.completed')) continue;
      const upload = await this.find(vault, name);
      if (upload !== undefined && !(await this.#removeIfAbandoned(vault, upload, now))) uploads.push(upload);
    }
    return uploads.sort((a, b) => a.meta.creationDate - b.meta.creationDate || (a.meta.id < b.meta.id ? -1 : 1));
  }

  async remove(vault: Vault, upload: MultipartUpload): Promise<void> {
    this.#loaded.delete(this.#key(vault, upload.meta.id));
    await rm(upload.dir, { recursive: true, force: true });
  }

  /** Remembers a completed upload so a repeated Complete returns the same archive id
   * (api-multipart-complete-upload.md). */
  async markCompleted(vault: Vault, uploadId: string, completed: CompletedUpload): Promise<void> {
    await writeJsonAtomic(vault.path('uploads', `${uploadId}.completed`), completed);
  }

  async completed(vault: Vault, uploadId: string): Promise<CompletedUpload | undefined> {
    if (!/^[A-Za-z0-9_-]+$/.test(uploadId)) return undefined;
    return readJson<CompletedUpload>(vault.path('uploads', `${uploadId}.completed`));
  }
}
