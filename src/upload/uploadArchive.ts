// One upload from start to finish. The first part is read before any request: an empty
// input is refused without touching the network, and input that ends within it goes up
// as one UploadArchive request (api-archive-post.md); longer input goes multipart.
// Success means Glacier returned an archive id and the tree hash we computed.
import type { ProgressLine, Reporter } from '../report/reporter.js';
import { AbortMultipartUploadCommand, InitiateMultipartUploadCommand, UploadArchiveCommand } from '@aws-sdk/client-glacier';
import { declareBodyHashes, type Glacier } from '../aws/glacier.js';
import { knownVaultScope } from '../aws/knownVaultScope.js';
import { vaultNotFound } from '../aws/vaultNotFound.js';
import { vaultScope } from '../aws/vaultScope.js';
import type { GlacierCache } from '../cache/glacierCache.js';
import type { PendingUpload, VaultScope } from '../cache/records.js';
import { describeAwsError, isAwsError } from '../aws/describeAwsError.js';
import { commandHint, quote } from '../report/quote.js';
import { FailureError, Interrupted, UsageError, VerificationError } from '../errors.js';
import { BufferPool } from '../streams/bufferPool.js';
import { chunkParts, type Part } from '../streams/partChunker.js';
import { formatByteSize } from '../byteSize.js';
import { unlessAborted } from '../abortable.js';
import type { VaultContext } from '../vaultContext.js';
import { storedArchive, uploadParts, type StoredArchive } from './multipartUpload.js';
import { UploadStopped } from './partScheduler.js';
import { findPendingUpload, listStoredParts } from './pendingUpload.js';
import { storedCopyOf } from './storedCopy.js';
import type { UploadInput } from './uploadInput.js';
import type { RateLimiter } from '../streams/rateLimiter.js';

/**
 * What the command opened for the upload: the vault's scope is not among it, because
 * resolving it may cost a request, which waits until the input proved not empty.
 */
export type UploadContext = Omit<VaultContext, 'scope'>;

export interface UploadRequest {
  vault: string;
  name: string;
  input: UploadInput;
  partSize: number;
  /** The user chose the part size: a pending upload with another one cannot be resumed. */
  partSizeGiven: boolean;
  /** Known or expected size, for the progress line. */
  expectedSize?: number;
  concurrency: number;
  resume: boolean;
  /** The command line that resumes this upload, for messages. */
  resumeCommand: string;
  /** --limit-rate, shared by every part in flight. */
  limiter?: RateLimiter;
}

export async function uploadArchive(context: UploadContext, request: UploadRequest): Promise<string> {
  const { connection, cache, glacier, reporter, signal } = context;
  const { vault, name, input } = request;
  // Only the cache can name an upload to resume, and it does so without a request.
  const knownScope = knownVaultScope(cache, connection, vault);
  const pending = knownScope !== undefined ? findPendingUpload(cache, knownScope, name, request.resume ? input.id : undefined) : undefined;
  if (request.resume && pending === undefined && knownScope !== undefined) {
    const copy = await storedCopyOf(cache, knownScope, name, input);
    if (copy !== undefined) {
      reporter.info(`nothing to resume: ${quote(name)} is already stored from this input as archive id:${copy.id}`);
      return copy.id;
    }
  }
  let partSize = request.partSize;
  if (request.resume && pending !== undefined) {
    checkResumable(request, pending);
    partSize = pending.partSize;
  }

  const pool = new BufferPool(partSize, request.concurrency + 1);
  const parts = chunkParts(input.source, pool);
  const first = await readPart(parts, signal, 'before anything was sent');
  if (first.body.length === 0) throw new UsageError('the input is empty: Glacier cannot store an empty archive');

  const scope = await unlessAborted(vaultScope(cache, connection, glacier, vault), signal, () => new Interrupted('interrupted before anything was sent'));
  let stored: StoredArchive & { uploadId?: string };
  const progress = reporter.progress(quote(name), request.expectedSize);
  let outcome: string | undefined;
  try {
    if (first.last) {
      stored = await unlessAborted(
        sendWhole(glacier, scope, name, first, request.limiter),
        signal,
        () => new Interrupted('interrupted; the archive may or may not be stored: run the upload again'),
      );
      progress.advance(first.body.length);
    } else {
      if (!request.resume && pending !== undefined) {
        reporter.info(
          `an unfinished upload of ${quote(name)} exists (upload id ${pending.uploadId}); starting a new one ` +
            `(add --resume to continue it, or cancel it with '${commandHint('upload abort', vault, pending.uploadId)}')`,
        );
      }
      if (request.resume && pending === undefined) reporter.info(`no unfinished upload of ${quote(name)} to resume; starting a new one`);
      const transfer = { glacier, cache, scope, pool, partSize, signal, reporter, progress };
      stored = await sendInParts(request, transfer, first, parts, request.resume ? pending : undefined);
    }
    outcome = 'stored';
  } finally {
    progress.finish(outcome);
  }
  try {
    const known = cache.getArchive(scope, stored.archiveId);
    cache.recordUploaded(
      scope,
      { ...known, id: stored.archiveId, name, size: stored.size, treeHash: stored.treeHash, createdHere: known?.createdHere ?? Date.now() },
      stored.uploadId,
    );
  } catch (failure) {
    const reason = failure instanceof Error ? failure.message : String(failure);
    throw new FailureError(
      `archive ${quote(name)} is stored in vault ${quote(vault)} as id:${stored.archiveId}, but the cache could not record it ` +
        `(${reason}); 'glacier vault sync ${vault}' will learn it from the vault's inventory`,
    );
  }
  return stored.archiveId;
}

/**
 * The upload id is gone but CompleteMultipartUpload was sent for it: an earlier run most
 * likely stored the archive and died before recording it. Never a second copy: the archive
 * is taken from the cache once an inventory has named it, and until then the user is told.
 */
function completedEarlier(
  reporter: Reporter,
  cache: GlacierCache,
  scope: VaultScope,
  request: UploadRequest,
  pending: PendingUpload,
  completing: { treeHash: string; size: number },
): StoredArchive & { uploadId: string } {
  const found = cache.findByName(scope, request.name).find((record) => record.treeHash === completing.treeHash && record.size === completing.size);
  if (found !== undefined) {
    reporter.info(`the upload of ${quote(request.name)} was completed by an earlier run: archive id:${found.id}, tree hash as the input's`);
    return { archiveId: found.id, treeHash: completing.treeHash, size: completing.size, uploadId: pending.uploadId };
  }
  throw new FailureError(
    `an earlier run sent the last step of the upload of ${quote(request.name)} (tree hash ${completing.treeHash}) and stopped before ` +
      `recording its answer, so the archive is most likely stored; not uploading a second copy: run 'glacier vault sync ${request.vault}' ` +
      'until an inventory lists it, then this command again (or upload again without --resume to store another copy)',
  );
}

function checkResumable(request: UploadRequest, pending: PendingUpload): void {
  if (request.partSizeGiven && request.partSize !== pending.partSize) {
    throw new UsageError(`the unfinished upload of ${quote(request.name)} uses --part-size ${formatByteSize(pending.partSize)}, not ${formatByteSize(request.partSize)}`);
  }
  const { input } = request;
  if (input.id === '-') return;
  if (pending.sourceSize !== input.size || pending.sourceMtimeMs !== input.mtimeMs) {
    throw new VerificationError(
      `${quote(input.id)} changed (size or modification time) since its upload started; refusing to resume ` +
        `(cancel it with '${commandHint('upload abort', request.vault, pending.uploadId)}', or upload again without --resume)`,
    );
  }
}

async function readPart(parts: AsyncGenerator<Part>, signal: AbortSignal, when: string): Promise<Part> {
  const next = await unlessAborted(parts.next(), signal, () => new Interrupted(`interrupted ${when}`));
  if (next.done === true) throw new Error('the part chunker ended without a last part');
  return next.value;
}

async function sendWhole(glacier: Glacier, scope: VaultScope, name: string, part: Part, limiter: RateLimiter | undefined): Promise<StoredArchive> {
  const treeHash = part.treeHash.toString('hex');
  await limiter?.take(part.body.length);
  const answer = await glacier
    .send(
      new UploadArchiveCommand({
        accountId: '-',
        vaultName: scope.vault,
        archiveDescription: name,
        checksum: treeHash,
        body: declareBodyHashes(part.body, { sha256: part.sha256.toString('hex'), treeHash }),
      }),
    )
    .catch(vaultNotFound(scope.vault, scope.region));
  return { ...storedArchive(answer, treeHash), size: part.body.length };
}

/** One multipart transfer's pieces, from the first part read to the last sent. */
interface Transfer {
  glacier: Glacier;
  cache: GlacierCache;
  scope: VaultScope;
  pool: BufferPool;
  partSize: number;
  signal: AbortSignal;
  reporter: Reporter;
  progress: ProgressLine;
}

async function sendInParts(
  request: UploadRequest,
  transfer: Transfer,
  first: Part,
  rest: AsyncGenerator<Part>,
  pending: PendingUpload | undefined,
): Promise<StoredArchive & { uploadId: string }> {
  const { glacier, cache, scope, partSize, reporter } = transfer;
  let uploadId: string | undefined;
  let storedParts = new Map<number, string>();
  if (pending !== undefined) {
    const listed = await listStoredParts(glacier, scope.vault, pending);
    if (listed === undefined && pending.completing !== undefined) return completedEarlier(reporter, cache, scope, request, pending, pending.completing);
    if (listed === undefined) {
      reporter.info(`the unfinished upload of ${quote(request.name)} no longer exists in Glacier (upload ids expire after about 24 h); starting a new one`);
      cache.removeUpload(scope, pending.uploadId);
    } else {
      uploadId = pending.uploadId;
      storedParts = listed;
    }
  }
  if (uploadId === undefined) {
    const started = await glacier
      .send(
        new InitiateMultipartUploadCommand({
          accountId: '-',
          vaultName: scope.vault,
          archiveDescription: request.name,
          partSize: String(partSize),
        }),
      )
      .catch(vaultNotFound(scope.vault, scope.region));
    if (started.uploadId === undefined) throw new FailureError('Glacier returned no upload id');
    uploadId = started.uploadId;
    const record: PendingUpload = { uploadId, name: request.name, partSize, source: request.input.id, startedAt: Date.now() };
    if (request.input.size !== undefined) record.sourceSize = request.input.size;
    if (request.input.mtimeMs !== undefined) record.sourceMtimeMs = request.input.mtimeMs;
    try {
      cache.putUpload(scope, record);
    } catch (failure) {
      // An upload the cache does not know would be an orphan nobody resumes: cancel it.
      const cancelled = await glacier.send(new AbortMultipartUploadCommand({ accountId: '-', vaultName: scope.vault, uploadId })).then(
        () => true,
        () => false,
      );
      if (!(failure instanceof FailureError)) throw failure;
      const after = cancelled ? 'the multipart upload was cancelled' : `cancel the multipart upload with '${commandHint('upload abort', scope.vault, uploadId)}'`;
      throw new FailureError(`${failure.message}; ${after}`);
    }
  }

  const upload = {
    ...transfer,
    uploadId,
    name: request.name,
    concurrency: request.concurrency,
    storedParts,
    ...(request.limiter !== undefined ? { limiter: request.limiter } : {}),
  };
  try {
    return { ...(await uploadParts(upload, first, rest)), uploadId };
  } catch (failure) {
    if (!(failure instanceof UploadStopped)) throw failure;
    const how = request.input.id === '-' ? `pipe the same input again into: ${request.resumeCommand}` : `run: ${request.resumeCommand}`;
    if (failure.interrupted) throw new Interrupted(`interrupted; the upload of ${quote(request.name)} can be resumed: ${how}`);
    const { reason } = failure;
    if (reason instanceof VerificationError) throw reason;
    const why = isAwsError(reason) ? describeAwsError(reason) : reason instanceof Error ? reason.message : String(reason);
    throw new FailureError(`${why}; the upload of ${quote(request.name)} stopped and can be resumed: ${how}`);
  }
}
