// What the migration tests share: an emulator, a moto S3 server, a vault of archives
// known to a test's cache, and S3 clients to look at what arrived.
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { runCli, type CliResult } from './helpers/runCli.js';
import type { Emulator } from './helpers/emulator.js';
import { clientEnv, createVault, rememberArchives, uploadArchive, type UploadedArchive } from './retrieveFixtures.js';
import { randomData } from './helpers/randomData.js';
import { makeScratchDir } from './helpers/scratchDir.js';

export const scratch = (): string => makeScratchDir('glacier-migrate-test-');

export function s3Client(endpoint: string): S3Client {
  return new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}

let buckets = 0;

export async function newBucket(endpoint: string): Promise<string> {
  const bucket = `migrate-${process.pid}-${++buckets}`;
  const client = s3Client(endpoint);
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
  return bucket;
}

export interface VaultFixture {
  env: NodeJS.ProcessEnv;
  cacheDir: string;
  vault: string;
  archives: UploadedArchive[];
}

let vaults = 0;

/** A vault holding `names` (sizes from `sizeOf`), known to a fresh cache that has been synced. */
export async function vaultWith(emulator: Emulator, s3Endpoint: string | undefined, names: string[], sizeOf: (index: number) => number = () => 1000): Promise<VaultFixture> {
  const cacheDir = join(scratch(), 'cache');
  const env = { ...clientEnv(emulator, cacheDir), ...(s3Endpoint !== undefined ? { AWS_ENDPOINT_URL_S3: s3Endpoint } : {}) };
  const vault = `migrate-${process.pid}-${++vaults}`;
  await createVault(env, vault);
  const archives: UploadedArchive[] = [];
  for (const [index, name] of names.entries()) archives.push(await uploadArchive(env, vault, randomData(sizeOf(index)), name));
  await rememberArchives(env, cacheDir, vault, archives);
  const synced = await runCli('glacier', ['vault', 'sync', '--wait', '--poll-interval', '0.05', vault], { env, timeoutMs: 60_000 });
  if (synced.status !== 0) throw new Error(`vault sync: ${synced.stderr}`);
  return { env, cacheDir, vault, archives };
}

export function migrate(env: NodeJS.ProcessEnv, args: string[], timeoutMs = 120_000): Promise<CliResult> {
  return runCli('glacier-migrate', args, { env, timeoutMs });
}
