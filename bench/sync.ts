// Syncing a vault of BENCH_ARCHIVES archives (default 1,000,000) into an empty cache: wall
// time and peak memory of `glacier vault sync` (targets: under 30 s, under 300 MiB), then
// the wall time of `glacier archive list` over that vault and of one cached lookup
// (`archive checkpresent`, target under 100 ms), each against a bare `node` start.
// Peak memory is sampled from /proc: VmHWM counts the pages of the LMDB file the process
// mapped (page cache, shared and reclaimable) as well as its own heap, so both the total
// and the private part (RssAnon) are shown.
import { Reporter } from '../src/report/reporter.js';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../test/helpers/emulator.js';
import { binPath, REPO_ROOT } from '../test/helpers/runCli.js';

const VAULT = 'bench-sync';

interface Measured {
  status: number | null;
  ms: number;
  peakHwmKiB: number;
  peakAnonKiB: number;
}

function statusKiB(pid: number): { hwm: number; anon: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { hwm: field('VmHWM'), anon: field('RssAnon') };
  } catch {
    return undefined;
  }
}

/** Run a glacier executable, stdout to /dev/null, sampling its memory every 20 ms. */
function measure(args: string[], env: NodeJS.ProcessEnv): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const devNull = openSync('/dev/null', 'w');
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [binPath('glacier'), ...args], { env, stdio: ['ignore', devNull, 'inherit'], cwd: REPO_ROOT });
    let peakHwmKiB = 0;
    let peakAnonKiB = 0;
    const sample = (): void => {
      const now = child.pid === undefined ? undefined : statusKiB(child.pid);
      if (now === undefined) return;
      peakHwmKiB = Math.max(peakHwmKiB, now.hwm);
      peakAnonKiB = Math.max(peakAnonKiB, now.anon);
    };
    const timer = setInterval(sample, 20);
    child.on('error', reject);
    child.on('exit', (status) => {
      clearInterval(timer);
      closeSync(devNull);
      resolve({ status, ms: Number(process.hrtime.bigint() - started) / 1e6, peakHwmKiB, peakAnonKiB });
    });
  });
}

async function untilInventoryReady(env: Record<string, string>): Promise<void> {
  Object.assign(process.env, env);
  const { openGlacier } = await import('../src/aws/glacier.js');
  const { listJobs } = await import('../src/jobs/listJobs.js');
  const glacier = openGlacier({ region: env.AWS_REGION ?? 'us-east-1' }, new Reporter({ progress: false }));
  try {
    for (;;) {
      let done = false;
      for await (const job of listJobs(glacier, VAULT)) if (job.Action === 'InventoryRetrieval' && job.Completed === true) done = true;
      if (done) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    glacier.close();
  }
}

function medianMs(args: string[], env: NodeJS.ProcessEnv, runs = 7): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint();
    spawnSync(process.execPath, args, { env, stdio: 'ignore', cwd: REPO_ROOT });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)] as number;
}

export async function run(): Promise<void> {
  const count = Number(process.env.BENCH_ARCHIVES ?? 1_000_000);
  const scratch = mkdtempSync(join(tmpdir(), 'glacier-bench-sync-'));
  const emulator = await startEmulator({ inventoryDelay: 0 });
  try {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: scratch, ...emulator.env, GLACIER_CACHE_DIR: join(scratch, 'cache') };
    const seedStarted = Date.now();
    await emulator.seed(VAULT, count, 'bench-archive-');
    process.stdout.write(`seeded ${count} archives in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s\n`);

    // Queue the inventory job and let the emulator write its output before timing the sync.
    const queued = await measure(['vault', 'sync', VAULT], env);
    if (queued.status !== 75) throw new Error(`vault sync queued nothing (exit ${queued.status})`);
    await untilInventoryReady(emulator.env);
    // Start from a quiet disk: the emulator's inventory file is flushed first.
    spawnSync('sync');

    const synced = await measure(['vault', 'sync', VAULT], env);
    if (synced.status !== 0) throw new Error(`vault sync failed (exit ${synced.status})`);
    const perSecond = count / (synced.ms / 1000);
    process.stdout.write(
      `vault sync of ${count} archives: ${(synced.ms / 1000).toFixed(1)} s (${Math.round(perSecond)} archives/s; target < 30 s for 1,000,000)\n` +
        `  peak RSS ${(synced.peakHwmKiB / 1024).toFixed(0)} MiB, of which private (RssAnon) ${(synced.peakAnonKiB / 1024).toFixed(0)} MiB; target < 300 MiB\n`,
    );
    spawnSync('sync');
    const resync = await measure(['vault', 'sync', '--fix', VAULT], env);
    process.stdout.write(
      `vault sync --fix again over a full cache: ${(resync.ms / 1000).toFixed(1)} s, peak RSS ${(resync.peakHwmKiB / 1024).toFixed(0)} MiB (private ${(resync.peakAnonKiB / 1024).toFixed(0)} MiB)\n`,
    );

    const listed = await measure(['archive', 'list', VAULT], env);
    process.stdout.write(
      `archive list (${count} lines): ${(listed.ms / 1000).toFixed(2)} s, peak RSS ${(listed.peakHwmKiB / 1024).toFixed(0)} MiB (private ${(listed.peakAnonKiB / 1024).toFixed(0)} MiB)\n`,
    );

    const bare = medianMs(['-e', ''], env);
    const name = `bench-archive-${Math.floor(count / 2)}`;
    const offline = { ...env, AWS_ENDPOINT_URL_GLACIER: 'http://127.0.0.1:9' };
    const lookup = medianMs([binPath('glacier'), 'archive', 'checkpresent', '--quiet', VAULT, name], offline);
    process.stdout.write(
      `archive checkpresent (cached, offline), median of 7: ${lookup.toFixed(1)} ms; bare node ${bare.toFixed(1)} ms; ` +
        `+${(lookup - bare).toFixed(1)} ms over bare node (target < 100 ms)\n`,
    );
    process.stdout.write(`cache size on disk: ${(dirKiB(join(scratch, 'cache')) / 1024).toFixed(0)} MiB\n`);
  } finally {
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Disk blocks used, in KiB (not the apparent size). */
function dirKiB(dir: string): number {
  const du = spawnSync('du', ['-sk', dir], { encoding: 'utf8' });
  return Number(du.stdout.split('\t')[0] ?? 0);
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) await run();
