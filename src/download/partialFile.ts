// The resumable state of a download to a file: the bytes in `.NAME.glacier-partial` beside
// the target, and a sidecar listing, in order, the segments verified so far with their tree
// hashes. Segments are appended in order, so the verified part is always a prefix. On a
// new run the prefix is re-hashed from disk (cheap, and it catches a torn write or an
// edited file) and the download goes on after the last segment that still matches.
import { createReadStream } from 'node:fs';
import { open, rm, truncate, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { MiB, TreeHashCombiner, TreeHasher } from '../streams/treeHash.js';
import { segmentAt } from './segments.js';
import type { DownloadPlan } from './plan.js';

export interface PartialPaths {
  data: string;
  segments: string;
}

export function partialPaths(target: string): PartialPaths {
  const data = join(dirname(target), `.${basename(target)}.glacier-partial`);
  return { data, segments: `${data}.segments` };
}

function headerLine(plan: DownloadPlan): string {
  const { identity, outputSize, segmentSize, expectedTreeHash } = plan;
  return `${JSON.stringify({ identity, outputSize, segmentSize, treeHash: expectedTreeHash })}\n`;
}

/**
 * How many leading segments are already on disk and verified; their roots are pushed into
 * `combiner`. The sidecar is cut back to exactly those segments (or started afresh).
 */
export async function recoverVerifiedPrefix(paths: PartialPaths, plan: DownloadPlan, combiner: TreeHashCombiner): Promise<number> {
  const header = headerLine(plan);
  let verified = 0;
  let validBytes = 0;
  let data: FileHandle | undefined;
  try {
    data = await open(paths.data, 'r');
    const lines = createInterface({ input: createReadStream(paths.segments, { encoding: 'latin1' }), crlfDelay: Infinity });
    for await (const line of lines) {
      if (validBytes === 0) {
        if (`${line}\n` !== header) break;
        validBytes = header.length;
        continue;
      }
      const [indexText, hex] = line.split(' ');
      if (Number(indexText) !== verified || hex === undefined) break;
      const root = await hashOnDisk(data, segmentAt(verified, plan.outputSize, plan.segmentSize));
      if (root.toString('hex') !== hex) break;
      combiner.push(root);
      verified++;
      validBytes += line.length + 1;
    }
    lines.close();
  } catch {
    // No partial download yet, or an unreadable one: start afresh.
  } finally {
    await data?.close();
  }
  if (validBytes === 0) {
    await rm(paths.data, { force: true });
    const sidecar = await open(paths.segments, 'w', 0o600);
    await sidecar.write(header);
    await sidecar.close();
    return 0;
  }
  await truncate(paths.segments, validBytes);
  return verified;
}

async function hashOnDisk(file: FileHandle, segment: { start: number; length: number }): Promise<Buffer> {
  const hasher = new TreeHasher();
  const buffer = Buffer.allocUnsafe(MiB);
  let done = 0;
  while (done < segment.length) {
    const want = Math.min(buffer.length, segment.length - done);
    const { bytesRead } = await file.read(buffer, 0, want, segment.start + done);
    if (bytesRead === 0) throw new Error('partial file shorter than its sidecar says');
    hasher.update(buffer.subarray(0, bytesRead));
    done += bytesRead;
  }
  return hasher.digest();
}

export async function discardPartial(paths: PartialPaths): Promise<void> {
  await rm(paths.data, { force: true });
  await rm(paths.segments, { force: true });
}
