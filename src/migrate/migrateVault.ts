// `vault migrate`: every live archive of a vault (of one shard) into an S3 bucket or a
// directory, verified, with delayed completion like retrieve: exit 75 while jobs are
// pending, --wait to keep going, exit 0 once every archive is verified at the destination.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from '../aws/connection.js';
import { sleepUnlessAborted } from '../abortable.js';
import type { S3 } from '../aws/s3.js';
import { bytesText } from './bytesText.js';
import { quote } from '../report/quote.js';
import { FailureError, Interrupted, PendingJob } from '../errors.js';
import type { RateLimiter } from '../streams/rateLimiter.js';
import { ensureFreshCache } from '../sync/freshCache.js';
import type { VaultContext } from '../vaultContext.js';
import { MANIFEST_KEY_PREFIX } from './archiveTarget.js';
import { describeDestination, type MigrationDestination } from './destination.js';
import { Manifest } from './manifest.js';
import { migrationRound, type RoundSettings, type Tally } from './migrationRound.js';
import type { Shard } from './shard.js';

export interface MigrateSettings extends RoundSettings {
  destination: MigrationDestination;
  storageClass: string;
  wait: boolean;
  pollSeconds: number;
  maxAgeHours: number;
  /** --manifest, else defaultManifestPath. */
  manifestPath: string;
  download?: RateLimiter;
  upload?: RateLimiter;
}

export interface MigrateRequest {
  settings: MigrateSettings;
  /** The destination bucket's client, opened and closed by the command; undefined for a directory. */
  s3: S3 | undefined;
}

function shardSuffix(shard: Shard | undefined): string {
  return shard === undefined ? '' : `.shard-${shard.index}-of-${shard.count}`;
}

export function defaultManifestPath(cacheDir: string, connection: Connection, vault: string, shard: Shard | undefined): string {
  return join(cacheDir, 'manifests', `${connection.region}.${vault}${shardSuffix(shard)}.jsonl`);
}

export async function migrateVault(context: VaultContext, request: MigrateRequest): Promise<void> {
  const { glacier, cache, scope, reporter, signal } = context;
  const { settings, s3 } = request;
  const { destination } = settings;
  const vault = scope.vault;
  const manifest = new Manifest(settings.manifestPath);
  try {
    const freshness = await ensureFreshCache(cache, glacier, scope, {
      maxAgeHours: settings.maxAgeHours,
      wait: settings.wait,
      pollIntervalSeconds: settings.pollSeconds,
      reporter,
      signal,
    });
    if (freshness === 'pending') throw new PendingJob(`vault ${quote(vault)} is migrated once its inventory is in: run the same command again later`);
    const delivery = {
      glacier,
      cache,
      scope,
      destination,
      s3,
      storageClass: settings.storageClass,
      reporter,
      signal,
      ...(settings.download !== undefined ? { download: settings.download } : {}),
      ...(settings.upload !== undefined ? { upload: settings.upload } : {}),
    };
    let migrated = 0;
    let migratedBytes = 0;
    let tally: Tally;
    const failed = new Set<string>();
    for (;;) {
      tally = await migrationRound(delivery, manifest, settings, failed);
      migrated += tally.migrated;
      migratedBytes += tally.migratedBytes;
      if (tally.pending + tally.waiting === 0 || !settings.wait) break;
      await sleepUnlessAborted(
        settings.pollSeconds * 1000,
        signal,
        () => new Interrupted(`interrupted while waiting for retrieval jobs of vault ${quote(vault)}; they go on: run the same command again to pick them up`),
      );
    }
    if (s3 !== undefined && manifest.appended > 0 && destination.kind === 's3') {
      await storeManifest(s3, destination.bucket, `${destination.prefix}${MANIFEST_KEY_PREFIX}${vault}${shardSuffix(settings.shard)}.jsonl`, manifest);
    }
    const where = describeDestination(destination);
    const left = tally.pending + tally.waiting;
    const progress = `${tally.done} of ${tally.total} archives done (${bytesText(tally.doneBytes)}), ${left} pending (${bytesText(tally.pendingBytes + tally.waitingBytes)})`;
    if (tally.failed > 0)
      throw new FailureError(`vault ${quote(vault)} to ${where}: ${tally.failed} archive${tally.failed === 1 ? '' : 's'} failed; ${progress}; see ${manifest.path}`);
    if (left > 0) throw new PendingJob(`vault ${quote(vault)} to ${where}: ${progress}: run the same command again later`);
    reporter.notice(
      `vault ${quote(vault)} to ${where}: all ${tally.total} archives (${bytesText(tally.doneBytes)}) verified there; ${migrated} migrated now (${bytesText(migratedBytes)}); manifest ${manifest.path}`,
    );
  } finally {
    manifest.close();
  }
}

/** The manifest as an object beside the data (STANDARD: small, and read when needed). */
async function storeManifest(s3: S3, bucket: string, key: string, manifest: Manifest): Promise<void> {
  const size = manifest.size();
  await s3.withRetries('PutObject (manifest)', () =>
    s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(manifest.path), ContentLength: size, ContentType: 'application/x-ndjson' })),
  );
}
