// Entry point of the glacier-emulator executable: prints its endpoint URL as the first
// and only line on stdout, logs to stderr, stops cleanly on SIGTERM and SIGINT.
import { mkdir, mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from './clock.js';
import type { EmulatorContext } from './context.js';
import { FaultInjector, FaultSpecError, parseFaultSpec } from './faults.js';
import { JobStore } from './jobs.js';
import { parseOptions, UsageError, USAGE } from './options.js';
import { createEmulatorServer } from './server.js';
import { DEFAULT_CREDENTIALS, type Credentials } from './sigv4.js';
import { AccountStore } from './store/account.js';
import { MultipartUploads } from './store/multipart.js';
import { VaultRegistry } from './store/vaults.js';
import { emulatorVersion } from './version.js';

function credentialsFromEnvironment(): Credentials {
  const accessKeyId = process.env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = process.env['AWS_SECRET_ACCESS_KEY'];
  if (accessKeyId && secretAccessKey) return { accessKeyId, secretAccessKey };
  return DEFAULT_CREDENTIALS;
}

export async function main(argv: string[]): Promise<void> {
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`glacier-emulator: ${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (options.version) {
    process.stdout.write(`glacier-emulator ${emulatorVersion()}\n`);
    return;
  }
  const faults = new FaultInjector();
  try {
    for (const spec of options.faults) faults.add(parseFaultSpec(spec));
  } catch (error) {
    if (!(error instanceof FaultSpecError)) throw error;
    process.stderr.write(`glacier-emulator: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }

  let dataDir = options.dataDir;
  if (dataDir === undefined) {
    dataDir = await mkdtemp(join(tmpdir(), 'glacier-emulator-'));
    process.stderr.write(`glacier-emulator: no --data given, keeping data in ${dataDir}\n`);
  }
  await mkdir(dataDir, { recursive: true });
  const credentials = credentialsFromEnvironment();
  const ctx: EmulatorContext = {
    options,
    dataDir,
    credentials,
    clock: await VirtualClock.open(join(dataDir, 'clock.json')),
    vaults: new VaultRegistry(dataDir, options.accountId),
    uploads: new MultipartUploads(),
    jobs: new JobStore(options.jobTtl),
    accounts: new AccountStore(dataDir),
    faults,
    requestCounts: new Map(),
  };
  const log = options.quiet ? () => undefined : (line: string) => process.stderr.write(`glacier-emulator: ${line}\n`);
  const server = createEmulatorServer(ctx, log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  process.stdout.write(`http://${host}:${address.port}\n`);
  if (!options.quiet) process.stderr.write(`glacier-emulator: access key id ${credentials.accessKeyId}, account ${options.accountId}, data in ${dataDir}\n`);

  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
