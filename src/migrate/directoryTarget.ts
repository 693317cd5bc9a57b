// A directory destination: the archive's safe relative path under DIR. Parent directories
// are created one by one and never through a symlink; an existing file counts as the
// archive only when its size and tree hash match.
import { constants } from 'node:fs';
import { lstat, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { MiB, TreeHasher } from '../streams/treeHash.js';

export type FilePresence = { state: 'absent' } | { state: 'present' } | { state: 'conflict'; why: string };

/** `relative` is already safe (archiveKeys.safeRelativePath): no '..', no leading '/'. */
export async function presenceInDirectory(root: string, relative: string, size: number | undefined, treeHash: string | undefined): Promise<FilePresence> {
  const path = join(root, relative);
  let stats;
  try {
    stats = await lstat(path);
  } catch {
    return { state: 'absent' };
  }
  if (!stats.isFile()) return { state: 'conflict', why: `${path} exists and is not a regular file` };
  if (size === undefined || treeHash === undefined) return { state: 'conflict', why: `${path} exists, and the cache knows no size and tree hash to compare it with` };
  if (stats.size !== size) return { state: 'conflict', why: `${path} exists with ${stats.size} bytes, not the archive's ${size}` };
  const found = await treeHashOfFile(path);
  if (found !== treeHash.toLowerCase()) return { state: 'conflict', why: `${path} exists with other bytes (tree hash ${found})` };
  return { state: 'present' };
}

/** Creates the parents of `relative` under root; the full path to write. */
export async function prepareParents(root: string, relative: string): Promise<string> {
  const segments = relative.split('/');
  let current = root;
  for (const segment of segments.slice(0, -1)) {
    current = join(current, segment);
    try {
      await mkdir(current);
    } catch (failure) {
      if ((failure as NodeJS.ErrnoException).code !== 'EEXIST') throw failure;
    }
    const stats = await lstat(current);
    if (!stats.isDirectory()) throw new Error(`${current} is not a directory (${stats.isSymbolicLink() ? 'a symlink' : 'a file'}); not writing through it`);
  }
  return join(root, relative);
}

export async function treeHashOfFile(path: string): Promise<string> {
  const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const hasher = new TreeHasher();
    const buffer = Buffer.allocUnsafe(4 * MiB);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hasher.update(buffer.subarray(0, bytesRead));
    }
    return hasher.digest().toString('hex');
  } finally {
    await file.close();
  }
}
