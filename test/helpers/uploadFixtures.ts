// What the upload tests share: a fresh emulator-backed environment per test, and input
// files.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from './emulator.js';
import { cliEnv } from './emulatorFixture.js';
import { makeScratchDir } from './scratchDir.js';
import { runCli, type CliResult } from './runCli.js';

export const MiB = 1024 * 1024;

export interface UploadFixture {
  dir: string;
  env: NodeJS.ProcessEnv;
  vault: string;
  file(name: string, bytes: Buffer): string;
}

let vaults = 0;

/** A scratch folder, a cache of its own, and a new vault in the emulator. */
export async function uploadFixture(emulator: Emulator, extraEnv: NodeJS.ProcessEnv = {}): Promise<UploadFixture> {
  const dir = makeScratchDir('upload-test-');
  const env = cliEnv(emulator, dir, join(dir, 'cache'), {
    GLACIER_RETRY_BASE_MS: '10',
    // The AWS SDK warns on stderr about Node 20 support; the tests read stderr line by line.
    NODE_NO_WARNINGS: '1',
    ...extraEnv,
  });
  const vault = `upload-${process.pid}-${++vaults}`;
  const created = await runCli('glacier', ['vault', 'create', vault], { env });
  if (created.status !== 0) throw new Error(`vault create: ${created.stderr}`);
  return {
    dir,
    env,
    vault,
    file(name, bytes) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    },
  };
}

/** The non-empty lines of a captured stderr. */
export function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '');
}

/** A command that must have succeeded; its stderr is the message when it did not. */
export function assertOk(result: CliResult): void {
  assert.equal(result.status, 0, `exit ${result.status}: ${result.stderr}`);
}
