// Archives put into the emulator for the retrieval tests: uploaded with the SDK directly
// (independent of `glacier archive upload`) and recorded in a test's cache, the way an
// upload from this machine would have left it.
import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateVaultCommand,
  DescribeVaultCommand,
  GlacierClient,
  InitiateMultipartUploadCommand,
  UploadArchiveCommand,
  UploadMultipartPartCommand,
} from '@aws-sdk/client-glacier';
import { GlacierCache } from '../src/cache/glacierCache.js';
import type { Emulator } from './helpers/emulator.js';
import { accountOfArn } from '../src/aws/vaultScope.js';
import { MiB, TreeHashCombiner, treeHashOf } from '../src/streams/treeHash.js';

/** The environment of a glacier process talking to `emulator` with its own cache. */
export function clientEnv(emulator: Emulator, cacheDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...emulator.env,
    GLACIER_CACHE_DIR: cacheDir,
    GLACIER_RETRY_BASE_MS: '20',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

export interface UploadedArchive {
  id: string;
  name: string;
  size: number;
  sha256: string;
  treeHash: string;
}

export function glacierClient(env: NodeJS.ProcessEnv): GlacierClient {
  return new GlacierClient({
    region: env.AWS_REGION ?? 'us-east-1',
    ...(env.AWS_ENDPOINT_URL_GLACIER === undefined ? {} : { endpoint: env.AWS_ENDPOINT_URL_GLACIER }),
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'test' },
  });
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function createVault(env: NodeJS.ProcessEnv, vault: string): Promise<void> {
  const client = glacierClient(env);
  try {
    await client.send(new CreateVaultCommand({ accountId: '-', vaultName: vault }));
  } finally {
    client.destroy();
  }
}

/** One UploadArchive request (up to 4 GiB) or, for big data, a multipart upload of 64 MiB parts. */
export async function uploadArchive(env: NodeJS.ProcessEnv, vault: string, data: Buffer, name: string): Promise<UploadedArchive> {
  const client = glacierClient(env);
  try {
    await client.send(new CreateVaultCommand({ accountId: '-', vaultName: vault }));
    const treeHash = treeHashOf(data).toString('hex');
    let id: string | undefined;
    if (data.length <= 256 * MiB) {
      const answer = await client.send(new UploadArchiveCommand({ accountId: '-', vaultName: vault, archiveDescription: name, body: data, checksum: treeHash }));
      id = answer.archiveId;
    } else {
      const partSize = 64 * MiB;
      const started = await client.send(new InitiateMultipartUploadCommand({ accountId: '-', vaultName: vault, archiveDescription: name, partSize: String(partSize) }));
      const roots = new TreeHashCombiner();
      for (let start = 0; start < data.length; start += partSize) {
        const part = data.subarray(start, Math.min(start + partSize, data.length));
        const root = treeHashOf(part);
        roots.push(root);
        await client.send(
          new UploadMultipartPartCommand({
            accountId: '-',
            vaultName: vault,
            uploadId: started.uploadId,
            range: `bytes ${start}-${start + part.length - 1}/*`,
            body: part,
            checksum: root.toString('hex'),
          }),
        );
      }
      const done = await client.send(
        new CompleteMultipartUploadCommand({
          accountId: '-',
          vaultName: vault,
          uploadId: started.uploadId,
          archiveSize: String(data.length),
          checksum: roots.digest().toString('hex'),
        }),
      );
      id = done.archiveId;
    }
    if (id === undefined) throw new Error('no archive id');
    return { id, name, size: data.length, sha256: sha256Hex(data), treeHash };
  } finally {
    client.destroy();
  }
}

/** Records archives in the cache as this machine's uploads. */
export async function rememberArchives(env: NodeJS.ProcessEnv, cacheDir: string, vault: string, archives: UploadedArchive[]): Promise<void> {
  const client = glacierClient(env);
  let account: string;
  try {
    const described = await client.send(new DescribeVaultCommand({ accountId: '-', vaultName: vault }));
    account = accountOfArn(described.VaultARN ?? '');
  } finally {
    client.destroy();
  }
  const cache = GlacierCache.open(cacheDir);
  try {
    const scope = { account, region: env.AWS_REGION ?? 'us-east-1', vault };
    cache.putArchives(
      scope,
      archives.map((archive) => ({ id: archive.id, name: archive.name, size: archive.size, treeHash: archive.treeHash, createdHere: Date.now() })),
    );
  } finally {
    cache.close();
  }
}
