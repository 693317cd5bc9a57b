// The multipart half of an upload (uploading-archive-mpu.md): parts go up `concurrency`
// at a time while the next one is read; each stored part is recorded in the cache at
// once, so that an interruption leaves a resumable upload. The archive's tree hash is
// combined from the part roots in reading order, so no byte is hashed a third time.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  UploadMultipartPartCommand,
} from '@aws-sdk/client-glacier';
import { declareBodyHashes, type Glacier } from '../aws/glacier.js';
import type { GlacierCache } from '../cache/glacierCache.js';
import type { VaultScope } from '../cache/records.js';
import { quote } from '../report/quote.js';
import { VerificationError } from '../errors.js';
import type { BufferPool } from '../streams/bufferPool.js';
import type { RateLimiter } from '../streams/rateLimiter.js';
import type { Part } from '../streams/partChunker.js';
import { TreeHashCombiner } from '../streams/treeHash.js';
import { unlessAborted } from '../abortable.js';
import { MAX_PARTS, tooManyPartsError } from './partSizePlan.js';
import type { ProgressLine } from '../report/reporter.js';

export interface MultipartUpload {
  glacier: Glacier;
  cache: GlacierCache;
  scope: VaultScope;
  uploadId: string;
  name: string;
  pool: BufferPool;
  concurrency: number;
  /** Parts Glacier already holds (resume): index → hex tree hash. */
  storedParts: Map<number, string>;
  progress: ProgressLine;
  signal: AbortSignal;
  /** --limit-rate: each part waits for its bytes' turn before it is sent. */
  limiter?: RateLimiter;
}

export interface StoredArchive {
  archiveId: string;
  size: number;
  treeHash: string;
}

/** Why the upload stopped short of CompleteMultipartUpload, leaving it resumable. */
export class UploadStopped extends Error {
  constructor(
    readonly reason: unknown,
    readonly interrupted: boolean,
  ) {
    super('upload stopped');
  }
}

const INTERRUPTED = new Error('interrupted');

export async function uploadParts(
  upload: MultipartUpload,
  first: Part,
  rest: AsyncIterator<Part>,
): Promise<StoredArchive> {
  const { glacier, cache, scope, uploadId, pool, storedParts, progress, signal } = upload;
  const combiner = new TreeHashCombiner();
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  // A part that fails must end the upload even while reading waits on a stalled input.
  const partFailed = new AbortController();
  const stopReading = AbortSignal.any([signal, partFailed.signal]);
  let size = 0;
  let partCount = 0;

  const send = async (part: Part, treeHash: string): Promise<void> => {
    await upload.limiter?.take(part.body.length);
    const end = part.offset + part.body.length - 1;
    const command = new UploadMultipartPartCommand({
      accountId: '-',
      vaultName: scope.vault,
      uploadId,
      range: `bytes ${part.offset}-${end}/*`,
      checksum: treeHash,
      body: declareBodyHashes(part.body, { sha256: part.sha256.toString('hex'), treeHash }),
    });
    // A retry sends the same Buffer again: re-sending a range overwrites it (api-upload-part.md).
    const answer = await glacier.withRetries(`upload of ${quote(upload.name)}: part ${part.index + 1}`, () => glacier.client.send(command));
    if (answer.checksum !== undefined && answer.checksum !== treeHash) {
      throw new VerificationError(
        `Glacier stored part ${part.index + 1} with tree hash ${answer.checksum}, but the bytes sent hash to ${treeHash}`,
      );
    }
    cache.recordPart(scope, uploadId, { index: part.index, treeHash });
    progress.advance(part.body.length);
  };

  let part: Part | undefined = first;
  while (part !== undefined) {
    const current: Part = part;
    if (current.index >= MAX_PARTS) {
      pool.release(current.body);
      await Promise.all(inFlight);
      await abortUpload(upload);
      throw tooManyPartsError(pool.bufferSize, size);
    }
    const treeHash = current.treeHash.toString('hex');
    combiner.push(current.treeHash);
    size += current.body.length;
    partCount++;
    const stored = storedParts.get(current.index);
    if (stored !== undefined) {
      pool.release(current.body);
      if (stored !== treeHash) {
        failure = changedInput(`part ${current.index + 1} (bytes ${current.offset}-${current.offset + current.body.length - 1})`);
        break;
      }
      progress.advance(current.body.length);
    } else {
      const sending: Promise<void> = send(current, treeHash)
        .catch((error: unknown) => {
          failure ??= error;
          partFailed.abort();
        })
        .finally(() => {
          inFlight.delete(sending);
          pool.release(current.body);
        });
      inFlight.add(sending);
    }
    if (current.last) break;
    while (inFlight.size >= upload.concurrency && failure === undefined) await Promise.race(inFlight);
    if (failure !== undefined || signal.aborted) break;
    try {
      const next: IteratorResult<Part> = await unlessAborted(rest.next(), stopReading, () => INTERRUPTED);
      part = next.done === true ? undefined : next.value;
    } catch (error) {
      if (error !== INTERRUPTED) failure ??= error;
      break;
    }
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw new UploadStopped(failure, false);
  if (signal.aborted) throw new UploadStopped(undefined, true);

  for (const index of storedParts.keys()) {
    if (index >= partCount) throw new UploadStopped(changedInput(`its length (now ${size} bytes)`), false);
  }
  const treeHash = combiner.digest().toString('hex');
  // Should this process die between Glacier's completing and the cache's recording, a
  // resume must know the archive may exist rather than upload a second copy.
  cache.markCompleting(scope, uploadId, { treeHash, size });
  let answer;
  try {
    answer = await glacier.send(
      new CompleteMultipartUploadCommand({
        accountId: '-',
        vaultName: scope.vault,
        uploadId,
        archiveSize: String(size),
        checksum: treeHash,
      }),
    );
  } catch (error) {
    // Every part is stored: a resume re-reads the input and only completes.
    throw new UploadStopped(error, false);
  }
  return { ...storedArchive(answer, treeHash), size };
}

export function storedArchive(
  answer: { archiveId?: string | undefined; checksum?: string | undefined },
  treeHash: string,
): { archiveId: string; treeHash: string } {
  if (answer.archiveId === undefined || answer.archiveId === '') {
    throw new VerificationError('Glacier returned no archive id: the archive is not stored');
  }
  if (answer.checksum !== treeHash) {
    throw new VerificationError(
      `Glacier holds archive id:${answer.archiveId} with tree hash ${answer.checksum ?? '(none)'}, but the input hashes to ${treeHash}: not recorded; delete it with 'glacier archive delete VAULT id:${answer.archiveId}'`,
    );
  }
  return { archiveId: answer.archiveId, treeHash };
}

export async function abortUpload(upload: { glacier: Glacier; cache: GlacierCache; scope: VaultScope; uploadId: string }): Promise<void> {
  await upload.glacier
    .send(new AbortMultipartUploadCommand({ accountId: '-', vaultName: upload.scope.vault, uploadId: upload.uploadId }))
    .catch((error: unknown) => {
      if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
    });
  upload.cache.removeUpload(upload.scope, upload.uploadId);
}

function changedInput(what: string): VerificationError {
  return new VerificationError(
    `the input differs from the unfinished upload in ${what}: it changed since the upload started; refusing to resume`,
  );
}
