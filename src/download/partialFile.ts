// The resumable state of a download to a file: the bytes in `.NAME.glacier-partial` beside
// the target, and a sidecar listing, in order, the segments verified so far with their tree
// hashes. Segments are appended in order, so the verified part is always a prefix. On a
// new run the prefix is re-hashed from disk (cheap, and it catches a torn write or an
// edited file) and the download goes on after the last segment that still matches.
//
// Whoever can write the target's folder can put anything at these paths (root restoring
// into a user's folder is the case that matters). So neither file is ever opened through a
// symlink: a file is resumed only when it is a regular file of ours, and is otherwise
// removed (the entry itself, never what a link points to) and created afresh, exclusively
// and private to us.
import { constants } from 'node:fs';
import { open, rm, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FailureError } from '../errors.js';
import { MiB, type TreeHashCombiner, TreeHasher } from '../streams/treeHash.js';
import { segmentAt } from './segments.js';
import type { DownloadPlan } from './plan.js';

export interface PartialPaths {
  data: string;
  segments: string;
}

/** The two files of a download in progress, open, and how many segments they hold verified. */
export interface PartialFiles {
  data: FileHandle;
  /** Opened for appending: each write lands after the last verified segment. */
  sidecar: FileHandle;
  verified: number;
}

export function partialPaths(target: string): PartialPaths {
  const data = join(dirname(target), `.${basename(target)}.glacier-partial`);
  return { data, segments: `${data}.segments` };
}

function headerLine(plan: DownloadPlan): string {
  const { identity, outputSize, segmentSize, expectedTreeHash } = plan;
  return `${JSON.stringify({ identity, outputSize, segmentSize, treeHash: expectedTreeHash })}\n`;
}

// O_NONBLOCK: a FIFO planted at the path must not hang the open; regular files ignore it.
const RESUME_FLAGS = constants.O_RDWR | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const CREATE_FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** PATH opened read-write if it is a regular file owned by us; else undefined. */
async function openOwnFile(path: string, append: boolean): Promise<FileHandle | undefined> {
  let file: FileHandle;
  try {
    file = await open(path, RESUME_FLAGS | (append ? constants.O_APPEND : 0));
  } catch {
    return undefined;
  }
  const stats = await file.stat();
  if (stats.isFile() && stats.nlink === 1 && stats.uid === process.getuid?.()) return file;
  await file.close();
  return undefined;
}

/** A new empty file at PATH, mode 0600, replacing whatever entry was there. */
async function createOwnFile(path: string, append: boolean): Promise<FileHandle> {
  try {
    await unlink(path).catch((failure: NodeJS.ErrnoException) => {
      if (failure.code !== 'ENOENT') throw failure;
    });
    return await open(path, CREATE_FLAGS | (append ? constants.O_APPEND : 0), 0o600);
  } catch (failure) {
    throw new FailureError(`cannot create the partial file ${path}: ${(failure as Error).message}`);
  }
}

/**
 * The partial files of PLAN, open: resumed where they hold a verified prefix (its roots
 * pushed into `combiner`), else started afresh. The sidecar is cut back to exactly the
 * verified segments.
 */
export async function openPartial(paths: PartialPaths, plan: DownloadPlan, combiner: TreeHashCombiner): Promise<PartialFiles> {
  const data = await openOwnFile(paths.data, false);
  const sidecar = data !== undefined ? await openOwnFile(paths.segments, true) : undefined;
  const { verified, validBytes } = data !== undefined && sidecar !== undefined ? await verifiedPrefix(data, sidecar, plan, combiner) : { verified: 0, validBytes: 0 };
  if (data !== undefined && sidecar !== undefined && validBytes > 0) {
    await sidecar.truncate(validBytes);
    return { data, sidecar, verified };
  }
  await data?.close();
  await sidecar?.close();
  const fresh = await createOwnFile(paths.data, false);
  const freshSidecar = await createOwnFile(paths.segments, true);
  await freshSidecar.write(headerLine(plan));
  return { data: fresh, sidecar: freshSidecar, verified: 0 };
}

async function verifiedPrefix(data: FileHandle, sidecar: FileHandle, plan: DownloadPlan, combiner: TreeHashCombiner): Promise<{ verified: number; validBytes: number }> {
  const header = headerLine(plan);
  let verified = 0;
  let validBytes = 0;
  for await (const line of linesOf(sidecar)) {
    if (validBytes === 0) {
      if (`${line}\n` !== header) break;
      validBytes = header.length;
      continue;
    }
    const [indexText, hex] = line.split(' ');
    if (Number(indexText) !== verified || hex === undefined) break;
    const root = await hashOnDisk(data, segmentAt(verified, plan.outputSize, plan.segmentSize));
    if (root === undefined || root.toString('hex') !== hex) break;
    combiner.push(root);
    verified++;
    validBytes += line.length + 1;
  }
  return { verified, validBytes };
}

// A sidecar line is an index and a hex hash (the header, a little JSON): anything longer is not ours.
const MAX_LINE = 4096;

/** The complete lines of FILE (latin1), read by position: the handle stays open for appending. */
async function* linesOf(file: FileHandle): AsyncGenerator<string> {
  const buffer = Buffer.allocUnsafe(64 * 1024);
  let position = 0;
  let pending = '';
  for (;;) {
    const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    const lines = (pending + buffer.toString('latin1', 0, bytesRead)).split('\n');
    pending = lines.pop() ?? '';
    yield* lines;
    if (pending.length > MAX_LINE) return;
  }
}

/** The tree hash of SEGMENT as it is on disk, or undefined when the file is too short. */
async function hashOnDisk(file: FileHandle, segment: { start: number; length: number }): Promise<Buffer | undefined> {
  const hasher = new TreeHasher();
  const buffer = Buffer.allocUnsafe(MiB);
  let done = 0;
  while (done < segment.length) {
    const want = Math.min(buffer.length, segment.length - done);
    const { bytesRead } = await file.read(buffer, 0, want, segment.start + done);
    if (bytesRead === 0) return undefined;
    hasher.update(buffer.subarray(0, bytesRead));
    done += bytesRead;
  }
  return hasher.digest();
}

/** Removes the partial files (the entries themselves: a link is removed, not followed). */
export async function discardPartial(paths: PartialPaths): Promise<void> {
  await rm(paths.data, { force: true });
  await rm(paths.segments, { force: true });
}
