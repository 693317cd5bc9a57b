// Adding and deleting archives: data file and leaf hashes beside it, an entry in the
// archive log, the vault's counters, under the vault's lock.
import { rename, rm, writeFile } from 'node:fs/promises';
import { isoDate } from '../clock.js';
import { invalidParameter, notFound } from '../errors.js';
import type { ArchiveEntry } from './archiveLog.js';
import type { Vault, VaultRegistry } from './vaults.js';

export interface NewArchive {
  /** A file inside the vault directory, moved into place. */
  dataPath: string;
  /** A file of leaf hashes, moved into place. */
  leavesPath: string;
  description: string;
  size: number;
  treeHash: string;
}

export function commitArchive(vault: Vault, archive: NewArchive, now: number): Promise<ArchiveEntry> {
  return vault.exclusive(async () => {
    const [entry] = await vault.archives.append([
      (id) => ({
        ArchiveId: id,
        ArchiveDescription: archive.description,
        CreationDate: isoDate(now),
        Size: archive.size,
        SHA256TreeHash: archive.treeHash,
      }),
    ]);
    await rename(archive.dataPath, vault.archiveDataPath(entry!.ArchiveId));
    await rename(archive.leavesPath, vault.archiveLeavesPath(entry!.ArchiveId));
    vault.noteChange(now);
    vault.meta.archiveCount++;
    vault.meta.totalSize += archive.size;
    await vault.saveMeta();
    return entry!;
  });
}

/** The live archive with this id, or 404. */
export async function liveArchive(vault: Vault, archiveId: string): Promise<ArchiveEntry> {
  const entry = await vault.archives.find(archiveId);
  if (entry === undefined || vault.archives.deletionOf(archiveId) !== undefined) throw archiveNotFound(vault, archiveId);
  return entry;
}

export function archiveNotFound(vault: Vault, archiveId: string): Error {
  return notFound(`Archive not found for ID: ${archiveId} in vault ${vault.arn}`);
}

/**
 * The error for an archive id this vault never issued: Glacier answers an id of another
 * vault with 400 "Invalid vault name" and an unknown one with 404.
 */
export async function unknownArchiveError(registry: VaultRegistry, vault: Vault, archiveId: string): Promise<Error> {
  if ((await registry.otherOwner(vault, archiveId)) !== undefined) return invalidParameter(`Invalid vault name: ${vault.arn}`);
  return archiveNotFound(vault, archiveId);
}

/** Deletes an archive; deleting it again is a no-op (api-archive-delete.md). */
export function deleteArchive(vault: Vault, archiveId: string, now: number): Promise<void> {
  return vault.exclusive(async () => {
    const entry = await vault.archives.find(archiveId);
    if (entry === undefined) throw archiveNotFound(vault, archiveId);
    if (vault.archives.deletionOf(archiveId) !== undefined) return;
    await vault.archives.recordDeletion(archiveId, now);
    await rm(vault.archiveDataPath(archiveId), { force: true });
    await rm(vault.archiveLeavesPath(archiveId), { force: true });
    vault.noteChange(now);
    vault.meta.archiveCount--;
    vault.meta.totalSize -= entry.Size;
    await vault.saveMeta();
  });
}

/**
 * Metadata-only archives for benchmarks: each holds one byte, 0x00, which is never
 * stored; retrieval produces it on demand.
 */
export const SEEDED_BYTE = Buffer.from([0]);
export const SEEDED_TREE_HASH = '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d';

export function seedArchives(vault: Vault, count: number, prefix: string, now: number): Promise<number> {
  return vault.exclusive(async () => {
    const creationDate = isoDate(now);
    const batch = 10_000;
    for (let done = 0; done < count; done += batch) {
      const builders: Array<(id: string) => ArchiveEntry> = [];
      for (let i = done; i < Math.min(count, done + batch); i++) {
        builders.push((id) => ({ ArchiveId: id, ArchiveDescription: `${prefix}${i}`, CreationDate: creationDate, Size: 1, SHA256TreeHash: SEEDED_TREE_HASH }));
      }
      await vault.archives.append(builders);
      vault.meta.archiveCount += builders.length;
      vault.meta.totalSize += builders.length;
    }
    vault.noteChange(now);
    await vault.saveMeta();
    return count;
  });
}

export async function writeSeededArchive(dataPath: string, leavesPath: string): Promise<void> {
  await writeFile(dataPath, SEEDED_BYTE);
  await writeFile(leavesPath, Buffer.from(SEEDED_TREE_HASH, 'hex'));
}
