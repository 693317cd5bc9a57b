// Retrieval throughput: a 2 GiB archive (BENCH_SIZE_MIB overrides) from a local emulator
// to /dev/null with `glacier-retrieve -o-`, every segment verified, against
// `openssl dgst -sha256` of the same bytes from the page cache (target >= 0.7x), and
// where the time goes: the CPU time of the client and of the emulator per GiB.
// BENCH_RUNS runs (default 3), alternating openssl and glacier-retrieve; medians shown.
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../test/helpers/emulator.js';
import { binPath, runCli } from '../test/helpers/runCli.js';
import { cpuSeconds } from './lib/cpuSeconds.js';
import { median } from './lib/median.js';
import { measuredRun, type MeasuredRun } from './lib/measuredRun.js';
import { writeRandomFile } from './lib/randomFile.js';

const MiB = 1024 * 1024;

interface Round {
  openssl: MeasuredRun;
  retrieve: MeasuredRun;
  emulatorCpuSeconds: number;
}

export async function run(): Promise<void> {
  const sizeMiB = Number(process.env.BENCH_SIZE_MIB ?? 2048);
  const scratch = mkdtempSync(join(tmpdir(), 'bench-retrieve-'));
  const emulator = await startEmulator({ jobDelay: 0 });
  try {
    const env = { PATH: process.env.PATH, HOME: scratch, ...emulator.env, GLACIER_CACHE_DIR: join(scratch, 'cache'), NODE_NO_WARNINGS: '1' };
    const file = join(scratch, 'archive.bin');
    writeRandomFile(file, sizeMiB);
    const created = await runCli('glacier', ['vault', 'create', 'bench'], { env });
    if (created.status !== 0) throw new Error(`vault create failed: ${created.stderr}`);
    const uploaded = await runCli('glacier-upload', ['--name', 'archive.bin', 'bench', file], { env });
    if (uploaded.status !== 0) throw new Error(`upload failed: ${uploaded.stderr}`);
    const queued = await runCli('glacier-retrieve', ['-o-', 'bench', 'archive.bin'], { env });
    if (queued.status !== 75) throw new Error(`expected a queued job (75), got ${queued.status}: ${queued.stderr}`);

    const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
    const devNull = openSync('/dev/null', 'w');
    const rounds: Round[] = [];
    try {
      for (let i = 0; i < runs; i++) {
        const openssl = await measuredRun('openssl', ['dgst', '-sha256', file], { env, stdout: devNull });
        if (openssl.status !== 0) throw new Error('openssl dgst failed');
        const emulatorBefore = cpuSeconds(emulator.process.pid ?? 0);
        const retrieve = await measuredRun(process.execPath, [binPath('glacier-retrieve'), '-o-', 'bench', 'archive.bin'], { env, stdout: devNull });
        if (retrieve.status !== 0) throw new Error(`glacier-retrieve exited ${retrieve.status}`);
        rounds.push({ openssl, retrieve, emulatorCpuSeconds: cpuSeconds(emulator.process.pid ?? 0) - emulatorBefore });
      }
    } finally {
      closeSync(devNull);
    }

    const GiB = sizeMiB / 1024;
    const ratios = rounds.map((round) => round.openssl.seconds / round.retrieve.seconds);
    const opensslSeconds = median(rounds.map((round) => round.openssl.seconds));
    const retrieveSeconds = median(rounds.map((round) => round.retrieve.seconds));
    const perGiB = (seconds: number[]): string => `${(median(seconds) / GiB).toFixed(2)} s`;
    process.stdout.write(
      `retrieve: ${sizeMiB} MiB archive from the emulator to /dev/null (-o-), 8 MiB segments, 6 in flight, each tree-hash verified\n` +
        `  median of ${runs} runs on ${availableParallelism()} cores; the emulator runs on the same cores as the client\n` +
        `                         wall     rate         CPU per GiB\n` +
        `  openssl dgst -sha256   ${opensslSeconds.toFixed(2)} s  ${(sizeMiB / opensslSeconds).toFixed(0).padStart(5)} MiB/s  ${perGiB(rounds.map((round) => round.openssl.cpuSeconds))}\n` +
        `  glacier-retrieve -o-   ${retrieveSeconds.toFixed(2)} s  ${(sizeMiB / retrieveSeconds).toFixed(0).padStart(5)} MiB/s  ` +
        `${perGiB(rounds.map((round) => round.retrieve.cpuSeconds))} client + ${perGiB(rounds.map((round) => round.emulatorCpuSeconds))} emulator\n` +
        `  ratio                  ${median(ratios).toFixed(2)}x openssl (target >= 0.70; runs: ${ratios.map((ratio) => ratio.toFixed(2)).join(' ')})\n` +
        `  peak RSS               ${(median(rounds.map((round) => round.retrieve.peakRss)) / MiB).toFixed(0)} MiB (sampled every 50 ms)\n`,
    );
  } finally {
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
