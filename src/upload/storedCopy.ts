// `--resume` with nothing left to resume: the upload may have finished, recorded, in a run
// whose exit status was lost (killed just after). Sending the file again would store a
// second copy, so an archive of the same name, size and tree hash that the cache holds
// (its tree hash is Glacier's own answer, or an inventory's) is taken as the upload done.
import { open } from 'node:fs/promises';
import type { GlacierCache } from '../cache/glacierCache.js';
import type { ArchiveRecord, VaultScope } from '../cache/records.js';
import { fileByteSource } from '../streams/byteSource.js';
import { hashSource } from '../streams/hashSource.js';
import { TreeHasher } from '../streams/treeHash.js';
import type { UploadInput } from './uploadInput.js';

/** The cached archive already holding this file under this name, if any (a file is hashed only when one could). */
export async function storedCopyOf(cache: GlacierCache, scope: VaultScope, name: string, input: UploadInput): Promise<ArchiveRecord | undefined> {
  if (input.id === '-' || input.size === undefined) return undefined;
  const candidates = cache.findByName(scope, name).filter((record) => record.size === input.size && record.treeHash !== undefined);
  if (candidates.length === 0) return undefined;
  const file = await open(input.id, 'r');
  let treeHash: string;
  try {
    const hasher = new TreeHasher();
    await hashSource(fileByteSource(file), (bytes) => hasher.update(bytes));
    treeHash = hasher.digest().toString('hex');
  } finally {
    await file.close();
  }
  return candidates.find((record) => record.treeHash?.toLowerCase() === treeHash);
}
