// What the lower layers are handed by the command layer for work on one vault: every piece
// opened once by the command's session (src/cli/session.ts), none of them opened here.
import type { Connection } from './aws/connection.js';
import type { Glacier } from './aws/glacier.js';
import type { GlacierCache } from './cache/glacierCache.js';
import type { VaultScope } from './cache/records.js';
import type { Reporter } from './report/reporter.js';

/** Messages, progress and the interruption signal: what every lower layer may be handed. */
export interface Services {
  reporter: Reporter;
  /** Aborted on Ctrl-C or SIGTERM: stop where the work can be resumed. */
  signal: AbortSignal;
}

export interface VaultContext extends Services {
  connection: Connection;
  cache: GlacierCache;
  glacier: Glacier;
  /** Account, region and vault name: the vault's partition of the cache. */
  scope: VaultScope;
}
