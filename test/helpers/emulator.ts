// Starts the glacier-emulator package's executable as a real child process for tests and
// benchmarks, and wraps its admin endpoint (packages/glacier-emulator/man/glacier-emulator.1).
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { GlacierClient } from '@aws-sdk/client-glacier';
import { makeScratchDir } from './scratchDir.js';

/** The emulator as a dependency installs it: its package's own executable. */
const LAUNCHER = join(dirname(createRequire(import.meta.url).resolve('glacier-emulator/package.json')), 'bin', 'glacier-emulator.js');

export const DEFAULT_ACCESS_KEY_ID = 'AKIAEMULATOR';
export const DEFAULT_SECRET_ACCESS_KEY = 'emulator-secret-key';
/** The emulator's default --inventory-interval: Glacier's once a day. */
export const INVENTORY_DAY = 24 * 3600;

export interface EmulatorOptions {
  /** Existing data directory (e.g. to restart on the same data); default: a fresh temp dir. */
  dataDir?: string;
  /** Seconds every job takes (--job-delay); the tier flags below override it per tier. */
  jobDelay?: number;
  expeditedDelay?: number;
  standardDelay?: number;
  bulkDelay?: number;
  inventoryDelay?: number;
  /**
   * Seconds between two inventory regenerations of a vault (--inventory-interval).
   * Unlike the emulator, whose default is Glacier's day, the helper defaults to 0: every
   * inventory job sees the vault as it is. Give INVENTORY_DAY (or any lag) to test as on
   * Glacier; then new archives appear in an inventory only once the virtual clock has
   * moved past the next regeneration (advanceClock) or after forceInventory().
   */
  inventoryInterval?: number;
  /** --expedited-needs-capacity: Expedited retrievals need provisioned capacity. */
  expeditedNeedsCapacity?: boolean;
  /** --free-tier-bytes: what the FreeTier data retrieval policy lets through a day. */
  freeTierBytes?: number;
  jobTtl?: number;
  accountId?: string;
  /** Fault specs, each passed as --fault SPEC. */
  faults?: string[];
  accessKeyId?: string;
  secretAccessKey?: string;
  /** The emulator executable to run (an installed one); default: this checkout's. */
  launcher?: string;
  /** Forward the emulator's request log to this process's stderr. Default false. */
  verbose?: boolean;
}

export interface ArchiveInfo {
  ArchiveId: string;
  ArchiveDescription: string;
  CreationDate: string;
  Size: number;
  SHA256TreeHash: string;
  DeletionDate?: string;
}

export interface Emulator {
  endpoint: string;
  dataDir: string;
  accountId: string;
  options: EmulatorOptions;
  /** Environment for client processes: credentials, region us-east-1, the endpoint. */
  env: {
    AWS_ACCESS_KEY_ID: string;
    AWS_SECRET_ACCESS_KEY: string;
    AWS_REGION: string;
    AWS_ENDPOINT_URL_GLACIER: string;
    AWS_EC2_METADATA_DISABLED: string;
  };
  process: ChildProcess;
  /** Stops the emulator; removes the data dir when this helper created it, unless keepData. */
  stop: (options?: { keepData?: boolean }) => Promise<void>;
  /** Stops and starts again on the same data directory, same options. */
  restart(): Promise<Emulator>;
  advanceClock(seconds: number): Promise<void>;
  addFault(spec: string): Promise<void>;
  clearFaults(): Promise<void>;
  /** Requests received per operation (UploadPart, InitiateJob, ...). */
  requestCounts(): Promise<Record<string, number>>;
  resetRequestCounts(): Promise<void>;
  listArchives(vault: string, region?: string, includeDeleted?: boolean): Promise<ArchiveInfo[]>;
  archiveBytes(vault: string, archiveId: string, region?: string): Promise<Buffer>;
  forceInventory(vault: string, region?: string): Promise<{ InventoryDate: string; NumberOfArchives: number; SizeInBytes: number }>;
  failJob(jobId: string, message?: string): Promise<void>;
  /** Metadata-only archives of 1 byte each, named PREFIX0, PREFIX1, ... */
  seed(vault: string, count: number, prefix?: string, region?: string): Promise<void>;
  /** Any admin call: METHOD /_emulator/PATH with a JSON body; the raw response. */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: Buffer }>;
}

/** An SDK client for the emulator: its credentials, one attempt (errors reach the test). */
export function sdkClientFor(emulator: Emulator, options: { region?: string; systemClockOffset?: number } = {}): GlacierClient {
  return new GlacierClient({
    region: options.region ?? 'us-east-1',
    endpoint: emulator.endpoint,
    maxAttempts: 1,
    ...(options.systemClockOffset === undefined ? {} : { systemClockOffset: options.systemClockOffset }),
    credentials: { accessKeyId: emulator.env.AWS_ACCESS_KEY_ID, secretAccessKey: emulator.env.AWS_SECRET_ACCESS_KEY },
  });
}

function flags(options: EmulatorOptions): string[] {
  const args: string[] = [];
  const numeric: Array<[keyof EmulatorOptions, string]> = [
    ['jobDelay', '--job-delay'],
    ['expeditedDelay', '--expedited-delay'],
    ['standardDelay', '--standard-delay'],
    ['bulkDelay', '--bulk-delay'],
    ['inventoryDelay', '--inventory-delay'],
    ['jobTtl', '--job-ttl'],
    ['freeTierBytes', '--free-tier-bytes'],
  ];
  for (const [key, flag] of numeric) {
    const value = options[key];
    if (value !== undefined) args.push(flag, String(value));
  }
  args.push('--inventory-interval', String(options.inventoryInterval ?? 0));
  if (options.expeditedNeedsCapacity === true) args.push('--expedited-needs-capacity');
  if (options.accountId !== undefined) args.push('--account-id', options.accountId);
  for (const spec of options.faults ?? []) args.push('--fault', spec);
  if (options.verbose !== true) args.push('--quiet');
  return args;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? makeScratchDir('glacier-emulator-test-');
  const accessKeyId = options.accessKeyId ?? DEFAULT_ACCESS_KEY_ID;
  const secretAccessKey = options.secretAccessKey ?? DEFAULT_SECRET_ACCESS_KEY;
  const child = spawn(process.execPath, [options.launcher ?? LAUNCHER, '--port', '0', '--data', dataDir, ...flags(options)], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey },
    stdio: ['ignore', 'pipe', options.verbose === true ? 'inherit' : 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`glacier-emulator exited (${code}) before printing its endpoint: ${stderr}`)));
    child.once('error', reject);
  });
  child.stdout?.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const admin = (method: string, path: string, body?: unknown): Promise<{ status: number; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const outgoing = request(
        `${endpoint}/_emulator/${path.replace(/^\//, '')}`,
        { method, headers: { 'Content-Type': 'application/json', 'Content-Length': payload?.length ?? 0 } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  const adminJson = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await admin(method, path, body);
    if (response.status >= 300) throw new Error(`admin ${method} ${path}: ${response.status} ${response.body.toString()}`);
    return JSON.parse(response.body.toString()) as T;
  };
  const vaultPath = (region: string | undefined, vault: string): string => `regions/${encodeURIComponent(region ?? 'us-east-1')}/vaults/${encodeURIComponent(vault)}`;

  const emulator: Emulator = {
    endpoint,
    dataDir,
    accountId: options.accountId ?? '123456789012',
    options,
    env: {
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_GLACIER: endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    process: child,
    async stop(stopOptions = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      if (ownsDataDir && stopOptions.keepData !== true) await rm(dataDir, { recursive: true, force: true });
    },
    async restart() {
      await emulator.stop({ keepData: true });
      const again = await startEmulator({ ...options, dataDir });
      // The new instance inherits the duty to remove a directory this helper created.
      if (ownsDataDir) {
        const stopAgain = again.stop;
        again.stop = async (stopOptions = {}) => {
          await stopAgain(stopOptions);
          if (stopOptions.keepData !== true) await rm(dataDir, { recursive: true, force: true });
        };
      }
      return again;
    },
    async advanceClock(seconds) {
      await adminJson('POST', 'clock', { advanceSeconds: seconds });
    },
    async addFault(spec) {
      await adminJson('POST', 'faults', { spec });
    },
    async clearFaults() {
      await adminJson('DELETE', 'faults');
    },
    async requestCounts() {
      return (await adminJson<{ counts: Record<string, number> }>('GET', 'requests')).counts;
    },
    async resetRequestCounts() {
      await adminJson('DELETE', 'requests');
    },
    async listArchives(vault, region, includeDeleted = false) {
      return adminJson<ArchiveInfo[]>('GET', `${vaultPath(region, vault)}/archives${includeDeleted ? '?includeDeleted=true' : ''}`);
    },
    async archiveBytes(vault, archiveId, region) {
      const response = await admin('GET', `${vaultPath(region, vault)}/archives/${encodeURIComponent(archiveId)}`);
      if (response.status !== 200) throw new Error(`archive ${archiveId}: ${response.status} ${response.body.toString()}`);
      return response.body;
    },
    async forceInventory(vault, region) {
      return adminJson('POST', `${vaultPath(region, vault)}/inventory`);
    },
    async failJob(jobId, message) {
      await adminJson('POST', `jobs/${encodeURIComponent(jobId)}`, { status: 'Failed', ...(message === undefined ? {} : { message }) });
    },
    async seed(vault, count, prefix, region) {
      await adminJson('POST', `${vaultPath(region, vault)}/seed`, { count, ...(prefix === undefined ? {} : { prefix }) });
    },
    admin,
  };
  return emulator;
}
