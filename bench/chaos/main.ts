// `npm run chaos`: CHAOS_ROUNDS rounds (default 50) of uploads (file, stdin), retrievals
// (file, stdout), syncs and presence checks against a local emulator that fails requests
// at random, each process perhaps killed (SIGKILL) or interrupted (SIGINT) at a random
// moment and then recovered the documented way. Ends with a table; the bad columns should
// read 0. Not part of the test suite: it is random by design and takes minutes.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../test/helpers/emulator.js';
import { runGlacier, type Outcome, type RunPlan } from './run.js';

const VAULT = 'chaos';
const KiB = 1024;
const MiB = 1024 * KiB;
const TIMEOUT_MS = 180_000;
const MAX_RECOVERIES = 6;

interface Input {
  name: string;
  file: string;
  sha256: string;
  size: number;
}

interface Tally {
  operations: number;
  faultsInjected: number;
  kills: number;
  interrupts: number;
  recoveries: number;
  verified: number;
  orphanedUploads: number;
  strayPartials: number;
  cacheRowsWithoutArchive: number;
  unverifiedDeliveries: number;
  falsePresent: number;
  unrecovered: number;
  timeouts: number;
  extraCopies: number;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const chance = (p: number): boolean => Math.random() < p;

// Faults the emulator can inject, per operation (man glacier-emulator, FAULTS).
const FAULTS: readonly string[] = [
  'UploadPart:500',
  'UploadPart:reset',
  'UploadPart:throttle',
  'UploadPart:truncate',
  'UploadPart:delay:ms=300',
  'UploadArchive:500',
  'UploadArchive:reset',
  'InitiateMultipartUpload:500',
  'CompleteMultipartUpload:500',
  'CompleteMultipartUpload:reset',
  'ListParts:500',
  'GetJobOutput:corrupt',
  'GetJobOutput:reset',
  'GetJobOutput:truncate',
  'GetJobOutput:500',
  'GetJobOutput:delay:ms=300',
  'InitiateJob:500',
  'DescribeJob:500',
  'ListJobs:throttle',
  'DescribeVault:500',
  '*:500',
  '*:reset',
  '*:throttle',
  '*:408',
];

export async function run(): Promise<void> {
  const rounds = Number(process.env.CHAOS_ROUNDS ?? 50);
  const scratch = mkdtempSync(join(tmpdir(), 'glacier-chaos-'));
  const inputs = join(scratch, 'inputs');
  const out = join(scratch, 'out');
  mkdirSync(inputs);
  mkdirSync(out);
  const emulator = await startEmulator({ jobDelay: 0, inventoryDelay: 0 });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: scratch,
    ...emulator.env,
    GLACIER_CACHE_DIR: join(scratch, 'cache'),
    GLACIER_RETRY_BASE_MS: '20',
    NODE_NO_WARNINGS: '1',
  };
  const tally: Tally = {
    operations: 0,
    faultsInjected: 0,
    kills: 0,
    interrupts: 0,
    recoveries: 0,
    verified: 0,
    orphanedUploads: 0,
    strayPartials: 0,
    cacheRowsWithoutArchive: 0,
    unverifiedDeliveries: 0,
    falsePresent: 0,
    unrecovered: 0,
    timeouts: 0,
    extraCopies: 0,
  };
  const uploaded: Input[] = [];
  const bench = new Chaos(emulator, env, tally, out);
  try {
    const created = await runGlacier({ args: ['vault', 'create', VAULT], env, timeoutMs: TIMEOUT_MS });
    if (created.status !== 0) throw new Error(`vault create: ${created.stderr}`);
    for (let round = 0; round < rounds; round++) {
      const kinds = uploaded.length === 0 ? ['uploadFile', 'uploadStdin'] : ['uploadFile', 'uploadStdin', 'retrieveFile', 'retrieveStdout', 'sync', 'checkpresent'];
      const kind = pick(kinds);
      if (kind === 'uploadFile' || kind === 'uploadStdin') {
        const input = makeInput(inputs, `r${round}-${kind === 'uploadFile' ? 'file' : 'stdin'}.bin`);
        if (await bench.upload(input, kind === 'uploadStdin')) uploaded.push(input);
      } else if (kind === 'retrieveFile' || kind === 'retrieveStdout') {
        await bench.retrieve(pick(uploaded), kind === 'retrieveStdout' ? undefined : join(out, `r${round}.bin`));
      } else if (kind === 'sync') {
        await bench.sync();
      } else {
        const known = chance(0.7);
        await bench.checkpresent(known ? pick(uploaded).name : `never-uploaded-${round}`, known);
      }
      if ((round + 1) % 10 === 0) process.stderr.write(`chaos: ${round + 1} of ${rounds} rounds\n`);
    }
    await emulator.clearFaults();
    await finalChecks(emulator, env, out, tally);
  } finally {
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  printTable(rounds, tally);
}

function makeInput(dir: string, name: string): Input {
  const size = pick([100 * KiB, 900 * KiB, 1 * MiB + 17, 3 * MiB, 5 * MiB + 123]);
  const bytes = randomBytes(size);
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return { name, file, sha256: sha256(bytes), size };
}

class Chaos {
  constructor(
    readonly emulator: Emulator,
    readonly env: NodeJS.ProcessEnv,
    readonly tally: Tally,
    readonly out: string,
  ) {}

  /** Random faults on, the process run (perhaps interrupted), faults counted and off. */
  async chaotic(plan: Omit<RunPlan, 'env' | 'timeoutMs'>): Promise<Outcome> {
    const specs: string[] = [];
    for (let i = 1 + Math.floor(Math.random() * 4); i > 0; i--) specs.push(`${pick(FAULTS)}:count=${1 + Math.floor(Math.random() * 4)}:p=${pick([0.2, 0.25, 0.3])}`);
    for (const spec of specs) await this.emulator.addFault(spec);
    const interrupt = chance(0.4) ? { signal: chance(0.5) ? ('SIGKILL' as const) : ('SIGINT' as const), afterMs: 100 + Math.floor(Math.random() * 2500) } : undefined;
    const outcome = await runGlacier({ ...plan, env: this.env, timeoutMs: TIMEOUT_MS, ...(interrupt !== undefined ? { interrupt } : {}) });
    this.tally.operations++;
    this.tally.faultsInjected += await this.firedFaults(specs);
    await this.emulator.clearFaults();
    if (outcome.interrupted === 'SIGKILL') this.tally.kills++;
    if (outcome.interrupted === 'SIGINT') this.tally.interrupts++;
    if (outcome.timedOut) this.tally.timeouts++;
    return outcome;
  }

  /** How many times the rules fired: each stops at its count, and is dropped when spent. */
  async firedFaults(specs: string[]): Promise<number> {
    const listed = JSON.parse((await this.emulator.admin('GET', 'faults')).body.toString()) as { faults: { spec: string; remaining?: number }[] };
    let fired = 0;
    for (const spec of specs) {
      const count = Number(/count=(\d+)/.exec(spec)?.[1]);
      const left = listed.faults.find((rule) => rule.spec === spec)?.remaining ?? 0;
      fired += count - left;
    }
    return fired;
  }

  /** Runs the documented recovery until it succeeds; false when it never did. */
  async recover(attempt: () => Promise<boolean>): Promise<boolean> {
    for (let tries = 0; tries < MAX_RECOVERIES; tries++) {
      this.tally.recoveries++;
      if (await attempt()) return true;
    }
    this.tally.unrecovered++;
    return false;
  }

  async upload(input: Input, viaStdin: boolean): Promise<boolean> {
    const args = ['archive', 'upload', '--print-id', '--part-size', '1M', '--name', input.name, VAULT, viaStdin ? '-' : input.file];
    const stdinFile = viaStdin ? input.file : undefined;
    const first = await this.chaotic({ args, ...(stdinFile !== undefined ? { stdinFile } : {}) });
    let finished = first.status === 0 ? first : undefined;
    if (finished === undefined) {
      // A stopped multipart upload resumes with --resume; one that may have completed
      // unrecorded waits for an inventory to name it; a single request is sent again.
      const resumeArgs = [...args.slice(0, 2), '--resume', ...args.slice(2)];
      await this.recover(async () => {
        const again = await runGlacier({ args: resumeArgs, env: this.env, timeoutMs: TIMEOUT_MS, ...(stdinFile !== undefined ? { stdinFile } : {}) });
        if (again.status === 0) finished = again;
        else if (/not uploading a second copy/.test(again.stderr)) await this.syncThroughInventory();
        return again.status === 0;
      });
    }
    if (finished === undefined) return false;
    const id = finished.stdout.toString().trim();
    const stored = await this.emulator.archiveBytes(VAULT, id).catch(() => Buffer.alloc(0));
    if (sha256(stored) === input.sha256) this.tally.verified++;
    else this.tally.unverifiedDeliveries++;
    return true;
  }

  async retrieve(input: Input, target: string | undefined): Promise<void> {
    const args = ['archive', 'retrieve', '--multipart-size', '1M', ...(target === undefined ? ['-o-'] : ['-o', target]), VAULT, input.name];
    const expected = readFileSync(input.file);
    // A delivery is judged by what it left: on stdout a verified prefix at most, in the
    // target nothing or exactly the archive.
    const judge = (outcome: Outcome): boolean => {
      if (target === undefined) {
        const prefix = outcome.stdout.equals(expected.subarray(0, outcome.stdout.length));
        if (!prefix || (outcome.status === 0 && outcome.stdout.length !== expected.length)) this.tally.unverifiedDeliveries++;
        return outcome.status === 0 && prefix && outcome.stdout.length === expected.length;
      }
      if (existsSync(target) && sha256(readFileSync(target)) !== input.sha256) {
        this.tally.unverifiedDeliveries++;
        return false;
      }
      return outcome.status === 0 && existsSync(target);
    };
    let outcome = await this.chaotic({ args });
    // Exit 75: the job is queued; with the emulator's zero delay the next run delivers.
    if (outcome.status === 75) outcome = await this.chaotic({ args });
    let done = judge(outcome);
    if (!done) {
      done = await this.recover(async () => {
        const again = await runGlacier({ args, env: this.env, timeoutMs: TIMEOUT_MS });
        return judge(again);
      });
    }
    if (done) this.tally.verified++;
    if (target !== undefined) rmSync(target, { force: true });
  }

  async sync(): Promise<void> {
    if (chance(0.5)) await this.emulator.forceInventory(VAULT);
    const outcome = await this.chaotic({ args: ['vault', 'sync', VAULT] });
    if (outcome.status === 0 || outcome.status === 75) return;
    await this.recover(async () => (await runGlacier({ args: ['vault', 'sync', '--wait', '--poll-interval', '0.1', VAULT], env: this.env, timeoutMs: TIMEOUT_MS })).status === 0);
  }

  async syncThroughInventory(): Promise<void> {
    await this.emulator.forceInventory(VAULT);
    await runGlacier({ args: ['vault', 'sync', '--wait', '--poll-interval', '0.1', VAULT], env: this.env, timeoutMs: TIMEOUT_MS });
  }

  async checkpresent(name: string, exists: boolean): Promise<void> {
    const args = ['archive', 'checkpresent', '--quiet', VAULT, name];
    const judge = (outcome: Outcome): boolean => {
      if (!exists && outcome.stdout.length > 0) this.tally.falsePresent++;
      return outcome.status === 0;
    };
    if (judge(await this.chaotic({ args }))) return;
    await this.recover(async () => judge(await runGlacier({ args, env: this.env, timeoutMs: TIMEOUT_MS })));
  }
}

async function finalChecks(emulator: Emulator, env: NodeJS.ProcessEnv, out: string, tally: Tally): Promise<void> {
  const uploads = await runGlacier({ args: ['upload', 'list', VAULT], env, timeoutMs: TIMEOUT_MS });
  if (uploads.stdout.length > 0) process.stderr.write(`chaos: uploads left:\n${uploads.stdout.toString()}`);
  tally.orphanedUploads = uploads.stdout
    .toString()
    .split('\n')
    .filter((line) => line !== '').length;
  tally.strayPartials = readdirSync(out).filter((name) => name.includes('glacier-partial')).length;
  const stored = await emulator.listArchives(VAULT);
  const storedIds = new Set(stored.map((archive) => archive.ArchiveId));
  const listed = await runGlacier({ args: ['archive', 'list', '--json', VAULT], env, timeoutMs: TIMEOUT_MS });
  for (const line of listed.stdout.toString().split('\n')) {
    if (line === '') continue;
    const { id } = JSON.parse(line) as { id: string };
    if (!storedIds.has(id)) tally.cacheRowsWithoutArchive++;
  }
  const perName = new Map<string, number>();
  for (const archive of stored) perName.set(archive.ArchiveDescription, (perName.get(archive.ArchiveDescription) ?? 0) + 1);
  for (const count of perName.values()) tally.extraCopies += count - 1;
}

function printTable(rounds: number, tally: Tally): void {
  const rows: [string, number, boolean][] = [
    ['rounds', rounds, false],
    ['operations run', tally.operations, false],
    ['faults injected', tally.faultsInjected, false],
    ['kills (SIGKILL)', tally.kills, false],
    ['interrupts (SIGINT)', tally.interrupts, false],
    ['recovery runs', tally.recoveries, false],
    ['archives verified byte-exact', tally.verified, false],
    ['extra copies (single-request upload killed after the service stored it)', tally.extraCopies, false],
    ['orphaned uploads', tally.orphanedUploads, true],
    ['stray partial files', tally.strayPartials, true],
    ['cache rows without an archive', tally.cacheRowsWithoutArchive, true],
    ['runs that delivered unverified bytes', tally.unverifiedDeliveries, true],
    ['present answered for an absent archive', tally.falsePresent, true],
    ['operations never recovered', tally.unrecovered, true],
    ['processes that hung (killed after 180 s)', tally.timeouts, true],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value, bad] of rows) process.stdout.write(`${label.padEnd(width)}  ${String(value).padStart(6)}${bad && value > 0 ? '  <-- expected 0' : ''}\n`);
}

await run();
