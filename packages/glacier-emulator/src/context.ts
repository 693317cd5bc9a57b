// Everything a request handler needs: stores, clock, options, fault rules, counters.
import type { FaultInjector } from './faults.js';
import type { JobStore } from './jobs.js';
import type { EmulatorOptions } from './options.js';
import type { Operation } from './operations.js';
import type { Credentials } from './sigv4.js';
import type { VirtualClock } from './clock.js';
import type { AccountStore } from './store/account.js';
import type { MultipartUploads } from './store/multipart.js';
import type { VaultRegistry } from './store/vaults.js';

export interface EmulatorContext {
  options: EmulatorOptions;
  dataDir: string;
  credentials: Credentials;
  clock: VirtualClock;
  vaults: VaultRegistry;
  uploads: MultipartUploads;
  jobs: JobStore;
  accounts: AccountStore;
  faults: FaultInjector;
  requestCounts: Map<Operation, number>;
}
