// `glacier treehash FILE` against `openssl dgst -sha256` on the same file: the tree hash
// does one SHA-256 pass plus a few hashes per MiB, so it should run at openssl's speed.
// BENCH_SIZE_MIB sets the file size (default 1024).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath } from '../test/helpers/runCli.js';

const MiB = 1024 * 1024;

function timeRun(command: string, args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}`);
  return seconds;
}

/** Best of three: the page cache is warm after the first read, for both programs alike. */
function bestOf(runs: number, command: string, args: string[]): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, timeRun(command, args));
  return best;
}

export async function run(): Promise<void> {
  const sizeMiB = Number(process.env.BENCH_SIZE_MIB ?? 1024);
  const dir = mkdtempSync(join(tmpdir(), 'bench-treehash-'));
  const file = join(dir, 'data');
  try {
    const fd = openSync(file, 'w');
    const block = randomBytes(MiB);
    for (let i = 0; i < sizeMiB; i++) writeSync(fd, block);
    closeSync(fd);
    const openssl = bestOf(3, 'openssl', ['dgst', '-sha256', file]);
    const ours = bestOf(3, process.execPath, [binPath('glacier'), 'treehash', file]);
    const startup = bestOf(3, process.execPath, [binPath('glacier'), 'treehash', '/dev/null']);
    const rate = (seconds: number): string => (sizeMiB / seconds).toFixed(0);
    process.stdout.write(
      `treehash: ${sizeMiB} MiB file\n` +
        `  openssl dgst -sha256   ${openssl.toFixed(3)} s  ${rate(openssl)} MiB/s\n` +
        `  glacier treehash       ${ours.toFixed(3)} s  ${rate(ours)} MiB/s (process start ${startup.toFixed(3)} s included)\n` +
        `  ratio glacier/openssl  ${(openssl / ours).toFixed(2)}x (target >= 0.90)\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
