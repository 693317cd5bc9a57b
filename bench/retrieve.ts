// Retrieval throughput: a 2 GiB archive (BENCH_SIZE_MIB overrides) from a local emulator
// to /dev/null with `glacier-retrieve -o-`, every segment verified, against
// `openssl dgst -sha256` of the same bytes from the page cache (target >= 0.7x).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../test/helpers/emulator.js';
import { binPath, runCli } from '../test/helpers/runCli.js';
import { peakRss } from './lib/peakRss.js';

const MiB = 1024 * 1024;

function writeRandomFile(path: string, sizeMiB: number): void {
  const fd = openSync(path, 'w');
  const block = randomBytes(MiB);
  for (let i = 0; i < sizeMiB; i++) {
    block.writeUInt32LE(i, 0);
    writeSync(fd, block);
  }
  closeSync(fd);
}

function timed(action: () => void): number {
  const started = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - started) / 1e9;
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

    const opensslSeconds = timed(() => {
      const result = spawnSync('openssl', ['dgst', '-sha256', file], { stdio: ['ignore', 'ignore', 'inherit'] });
      if (result.status !== 0) throw new Error('openssl dgst failed');
    });

    const devNull = openSync('/dev/null', 'w');
    const child = spawn(process.execPath, [binPath('glacier-retrieve'), '-o-', 'bench', 'archive.bin'], { env, stdio: ['ignore', devNull, 'inherit'] });
    let peak = 0;
    const poll = setInterval(() => {
      peak = Math.max(peak, peakRss(child.pid ?? 0));
    }, 50);
    const started = process.hrtime.bigint();
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const retrieveSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(poll);
    closeSync(devNull);
    if (status !== 0) throw new Error(`glacier-retrieve exited ${status}`);

    const opensslRate = sizeMiB / opensslSeconds;
    const retrieveRate = sizeMiB / retrieveSeconds;
    process.stdout.write(
      `retrieve: ${sizeMiB} MiB archive from the emulator to /dev/null (-o-), 8 MiB segments, 6 in flight, each tree-hash verified\n` +
        `  openssl dgst -sha256   ${opensslSeconds.toFixed(2)} s  ${opensslRate.toFixed(0)} MiB/s\n` +
        `  glacier-retrieve -o-   ${retrieveSeconds.toFixed(2)} s  ${retrieveRate.toFixed(0)} MiB/s (emulator on the same cores)\n` +
        `  ratio                  ${(retrieveRate / opensslRate).toFixed(2)}x openssl (target >= 0.70)\n` +
        `  peak RSS               ${(peak / MiB).toFixed(0)} MiB (sampled every 50 ms)\n`,
    );
  } finally {
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
