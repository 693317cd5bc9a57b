// What the command-line tests against the emulator share: the emulator, started before the
// tests of a file (or suite) and stopped after them; a scratch folder, HOME of every run;
// a cache folder per simulated machine; and `glacier` run in that environment.
import { after, before } from 'node:test';
import { join } from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from './emulator.js';
import { runCli, type CliResult } from './runCli.js';
import { useScratchDir } from './scratchDir.js';

/** A run that takes longer has hung: generous, since a loaded 2-core CI machine runs the 60,000-archive syncs 4 at a time. */
const HANG_MS = 300_000;

/** A glacier process's environment: the emulator's, HOME, its own cache, quick retries; `extra` last. */
export function cliEnv(emulator: Emulator, home: string, cacheDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, ...emulator.env, GLACIER_CACHE_DIR: cacheDir, GLACIER_RETRY_BASE_MS: '20', ...extra };
}

export interface EmulatorFixture {
  /** The emulator (useEmulator). */
  readonly emulator: Emulator;
  /** The scratch folder, removed after the tests. */
  readonly scratch: string;
  // Properties, not methods: tests take them out of the fixture (`const { glacier } = fixture`).
  /** A cache folder no run has used yet: a machine that has never seen the vaults. */
  freshCache: () => string;
  /** cliEnv for this cache, with the scratch folder as HOME. */
  env: (cacheDir: string, extra?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
  /** `glacier ARGS` on this cache; killed as hung after HANG_MS. */
  glacier: (cacheDir: string, args: string[], extra?: NodeJS.ProcessEnv, input?: string) => Promise<CliResult>;
}

const starters = new WeakMap<Emulator, () => Promise<Emulator>>();

/**
 * An emulator started before the tests of the file (or suite) that calls this, stopped after
 * them. What is returned stands for it: a test or a hook uses it as the emulator itself.
 */
export function useEmulator(options: EmulatorOptions = {}): Emulator {
  let starting: Promise<Emulator> | undefined;
  let started: Emulator | undefined;
  const start = (): Promise<Emulator> => (starting ??= startEmulator(options).then((emulator) => (started = emulator)));
  before(async () => {
    await start();
  });
  after(async () => {
    await started?.stop();
  });
  const stand = new Proxy({} as Emulator, {
    get(_unstarted, property) {
      if (started === undefined) throw new Error('the emulator starts in before(): use it from a test, or await emulatorStarted in a hook');
      return Reflect.get(started, property, started) as unknown;
    },
  });
  starters.set(stand, start);
  return stand;
}

/**
 * Resolves once useEmulator's emulator runs. Node 20 runs a file's top-level before() hooks
 * at once, not one after another: such a hook that needs the emulator awaits this first.
 */
export async function emulatorStarted(emulator: Emulator): Promise<void> {
  const start = starters.get(emulator);
  if (start === undefined) throw new Error('emulatorStarted takes an emulator from useEmulator');
  await start();
}

export function useEmulatorFixture(scratchPrefix: string, options: EmulatorOptions = {}): EmulatorFixture {
  const emulator = useEmulator(options);
  const scratch = useScratchDir(scratchPrefix);
  let caches = 0;
  const fixture: EmulatorFixture = {
    emulator,
    get scratch(): string {
      return scratch.path;
    },
    freshCache() {
      return join(scratch.path, `cache-${++caches}`);
    },
    env(cacheDir, extra = {}) {
      return cliEnv(emulator, scratch.path, cacheDir, extra);
    },
    glacier(cacheDir, args, extra = {}, input) {
      return runCli('glacier', args, { env: fixture.env(cacheDir, extra), input, timeoutMs: HANG_MS });
    },
  };
  return fixture;
}
