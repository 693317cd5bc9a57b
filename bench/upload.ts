// A 2 GiB stdin upload to a local emulator: throughput, and the peak RSS of the glacier
// process against its bound, (concurrency + 1) × part size + 100 MiB.
// BENCH_SIZE_MIB sets the size (default 2048).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../test/helpers/emulator.js';
import { binPath, runCli } from '../test/helpers/runCli.js';
import { peakRss } from './lib/peakRss.js';

const MiB = 1024 * 1024;
const PART_SIZE = 64 * MiB;
const CONCURRENCY = 4;

export async function run(): Promise<void> {
  const sizeMiB = Number(process.env.BENCH_SIZE_MIB ?? 2048);
  const scratch = mkdtempSync(join(tmpdir(), 'bench-upload-'));
  const emulator = await startEmulator({ jobDelay: 0 });
  try {
    const env = { PATH: process.env.PATH, HOME: scratch, ...emulator.env, GLACIER_CACHE_DIR: join(scratch, 'cache'), NODE_NO_WARNINGS: '1' };
    const created = await runCli('glacier', ['vault', 'create', 'bench'], { env });
    if (created.status !== 0) throw new Error(`vault create failed: ${created.stderr}`);

    const child = spawn(
      process.execPath,
      [binPath('glacier-upload'), '--no-progress', '--part-size', `${PART_SIZE / MiB}M`, '--concurrency', `${CONCURRENCY}`, '--name', 'bench.bin', 'bench', '-'],
      { env, stdio: ['pipe', 'ignore', 'inherit'] },
    );
    let peak = 0;
    const poll = setInterval(() => {
      peak = Math.max(peak, peakRss(child.pid ?? 0));
    }, 50);
    const exited = new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)));
    const started = process.hrtime.bigint();
    const block = randomBytes(MiB);
    for (let i = 0; i < sizeMiB; i++) {
      // Vary every block a little so that no layer can deduplicate them.
      block.writeUInt32LE(i, 0);
      if (!child.stdin.write(Buffer.from(block))) await new Promise((resolve) => child.stdin.once('drain', resolve));
    }
    child.stdin.end();
    const status = await exited;
    clearInterval(poll);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (status !== 0) throw new Error(`glacier-upload exited ${status}`);
    const bound = (CONCURRENCY + 1) * PART_SIZE + 100 * MiB;
    process.stdout.write(
      `upload: ${sizeMiB} MiB from stdin to the emulator, part size ${PART_SIZE / MiB} MiB, concurrency ${CONCURRENCY}\n` +
        `  time        ${seconds.toFixed(2)} s  ${(sizeMiB / seconds).toFixed(0)} MiB/s (emulator on the same cores)\n` +
        `  peak RSS    ${(peak / MiB).toFixed(0)} MiB (sampled every 50 ms)\n` +
        `  bound       ${(bound / MiB).toFixed(0)} MiB = (${CONCURRENCY} + 1) x ${PART_SIZE / MiB} MiB + 100 MiB\n` +
        `  ratio       ${(peak / bound).toFixed(2)} of the bound (target <= 1.00)\n`,
    );
  } finally {
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
