// The multipart half of an upload (uploading-archive-mpu.md): parts go up `concurrency`
// at a time while the next one is read; each stored part is recorded in the cache at
// once, so that an interruption leaves a resumable upload. The archive's tree hash is
// combined from the part roots in reading order, so no byte is hashed a third time.
import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, UploadMultipartPartCommand } from '@aws-sdk/client-glacier';
import { declareBodyHashes, type Glacier } from '../aws/glacier.js';
import type { GlacierCache } from '../cache/glacierCache.js';
import type { VaultScope } from '../cache/records.js';
import { quote } from '../report/quote.js';
import { VerificationError } from '../errors.js';
import type { BufferPool } from '../streams/bufferPool.js';
import type { RateLimiter } from '../streams/rateLimiter.js';
import type { Part } from '../streams/partChunker.js';
import { TreeHashCombiner } from '../streams/treeHash.js';
import { isAwsErrorNamed } from '../aws/describeAwsError.js';
import { MAX_PARTS, tooManyPartsError } from './partSizePlan.js';
import { scheduleParts, UploadStopped } from './partScheduler.js';
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

export async function uploadParts(upload: MultipartUpload, first: Part, rest: AsyncIterator<Part>): Promise<StoredArchive> {
  const { glacier, cache, scope, uploadId, pool, storedParts, progress, signal } = upload;
  const combiner = new TreeHashCombiner();
  let size = 0;
  let partCount = 0;
  let tooManyParts: Error | undefined;

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
      throw new VerificationError(`Glacier stored part ${part.index + 1} with tree hash ${answer.checksum}, but the bytes sent hash to ${treeHash}`);
    }
    cache.recordPart(scope, uploadId, { index: part.index, treeHash });
    progress.advance(part.body.length);
  };

  const take = (part: Part): Promise<void> | undefined => {
    if (part.index >= MAX_PARTS) {
      pool.release(part.body);
      tooManyParts = tooManyPartsError(pool.bufferSize, size);
      throw tooManyParts;
    }
    const treeHash = part.treeHash.toString('hex');
    combiner.push(part.treeHash);
    size += part.body.length;
    partCount++;
    const stored = storedParts.get(part.index);
    if (stored === undefined) return send(part, treeHash).finally(() => pool.release(part.body));
    pool.release(part.body);
    if (stored !== treeHash) throw changedInput(`part ${part.index + 1} (bytes ${part.offset}-${part.offset + part.body.length - 1})`);
    progress.advance(part.body.length);
    return undefined;
  };

  try {
    await scheduleParts(first, rest, { concurrency: upload.concurrency, signal, take });
  } catch (stopped) {
    if (!(stopped instanceof UploadStopped) || tooManyParts === undefined || stopped.reason !== tooManyParts) throw stopped;
    await abortUpload(upload);
    throw tooManyParts;
  }

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

export function storedArchive(answer: { archiveId?: string | undefined; checksum?: string | undefined }, treeHash: string): { archiveId: string; treeHash: string } {
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
  await upload.glacier.send(new AbortMultipartUploadCommand({ accountId: '-', vaultName: upload.scope.vault, uploadId: upload.uploadId })).catch((error: unknown) => {
    if (!isAwsErrorNamed(error, 'ResourceNotFoundException')) throw error;
  });
  upload.cache.removeUpload(upload.scope, upload.uploadId);
}

function changedInput(what: string): VerificationError {
  return new VerificationError(`the input differs from the unfinished upload in ${what}: it changed since the upload started; refusing to resume`);
}
