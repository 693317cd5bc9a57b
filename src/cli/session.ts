// What a command works with, opened once and closed once. The command table declares what
// each command opens (cache, Glacier client, a vault's scope); the command first checks its
// command line, then calls `open` once; main() closes the session whatever happens. Lower
// layers are handed the pieces they use (a VaultContext, a Reporter, the AbortSignal) and
// never open any of these themselves.
import type { Glacier } from '../aws/glacier.js';
import type { GlacierCache } from '../cache/glacierCache.js';
import type { VaultScope } from '../cache/records.js';
import { Reporter } from '../report/reporter.js';
import type { VaultContext } from '../vaultContext.js';
import { commandContext, progressOption, type CommandContext } from './commandContext.js';
import { interruptionSignal } from './interruption.js';

/** What a command may open, declared in the command table. 'vault' opens the cache and the client too. */
export type Resource = 'cache' | 'glacier' | 'vault';

export interface OpenRequest {
  /** The parsed command line: its global options and --progress / --no-progress. */
  options: { region?: string; 'endpoint-url'?: string; profile?: string; 'cache-dir'?: string; progress?: boolean; 'no-progress'?: boolean };
  /** The vault of a command that opens 'vault'. */
  vault?: string;
}

export class Session {
  readonly #words: string;
  readonly #opens: ReadonlySet<Resource>;
  #context: Context | undefined;

  constructor(words: string, opens: readonly Resource[]) {
    this.#words = words;
    this.#opens = new Set(opens);
  }

  /** Opens what the command table declares; usage errors in the global options are thrown here. */
  async open(request: OpenRequest): Promise<Context> {
    if (this.#context !== undefined) throw new Error(`${this.#words}: the session is opened once`);
    const reporter = new Reporter(progressOption(request.options));
    const { connection, cacheDir } = commandContext(request.options);
    const needsVault = this.#opens.has('vault');
    const context = new Context(this.#words, { connection, cacheDir, reporter });
    this.#context = context;
    // Loaded here, not at the top: help and usage errors load neither LMDB nor the AWS SDK.
    if (needsVault || this.#opens.has('cache')) {
      const { GlacierCache } = await import('../cache/glacierCache.js');
      context.attachCache(GlacierCache.open(cacheDir));
    }
    if (needsVault || this.#opens.has('glacier')) {
      const { openGlacier } = await import('../aws/glacier.js');
      context.attachGlacier(openGlacier(connection, reporter));
    }
    if (needsVault) {
      if (request.vault === undefined) throw new Error(`${this.#words}: opening a vault needs its name`);
      const [{ vaultScope }, { importOldCacheOnce }] = await Promise.all([import('../aws/vaultScope.js'), import('../cache/importOldCacheOnce.js')]);
      const scope = await vaultScope(context.cache, connection, context.glacier, request.vault);
      await importOldCacheOnce(context.cache, connection, scope, reporter);
      context.attachScope(scope);
    }
    return context;
  }

  close(): void {
    this.#context?.close();
  }
}

interface Basics extends CommandContext {
  reporter: Reporter;
}

/** A command's resources. Asking for one the command table does not declare is a programming error. */
export class Context implements VaultContext {
  readonly connection: CommandContext['connection'];
  readonly cacheDir: string;
  readonly reporter: Reporter;
  readonly #words: string;
  #cache: GlacierCache | undefined;
  #glacier: Glacier | undefined;
  #scope: VaultScope | undefined;

  constructor(words: string, basics: Basics) {
    this.#words = words;
    this.connection = basics.connection;
    this.cacheDir = basics.cacheDir;
    this.reporter = basics.reporter;
  }

  /**
   * Aborted on Ctrl-C or SIGTERM. Taking it is a promise to stop on it: until a command
   * takes it, an interruption ends the process at once, as it would any program.
   */
  get signal(): AbortSignal {
    return interruptionSignal();
  }

  get cache(): GlacierCache {
    return this.#declared(this.#cache, 'cache');
  }

  get glacier(): Glacier {
    return this.#declared(this.#glacier, 'glacier');
  }

  get scope(): VaultScope {
    return this.#declared(this.#scope, 'vault');
  }

  attachCache(cache: GlacierCache): void {
    this.#cache = cache;
  }

  attachGlacier(glacier: Glacier): void {
    this.#glacier = glacier;
  }

  attachScope(scope: VaultScope): void {
    this.#scope = scope;
  }

  close(): void {
    this.#glacier?.close();
    this.#cache?.close();
  }

  #declared<T>(value: T | undefined, resource: Resource): T {
    if (value === undefined) throw new Error(`${this.#words}: the command table does not open '${resource}' for it`);
    return value;
  }
}
