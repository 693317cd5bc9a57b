// A git-annex repository for end-to-end tests: the real git-annex, running the built
// `glacier` from PATH through a wrapper that logs each call and its exit status (git-annex
// gives up on a key quietly when a checkpresent fails; the log says which call it was).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from './emulator.js';
import { binPath } from './runCli.js';
import { makeScratchDir } from './scratchDir.js';

export interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface AnnexRepo {
  /** The scratch folder holding the repository, HOME, the cache and the wrapper. */
  work: string;
  repo: string;
  env: NodeJS.ProcessEnv;
  /** One line per glacier call: its arguments and `=> exit N`. */
  callLog: string;
  /** Run a program in the repository; resolves with its outcome whatever the exit status. */
  run(program: string, args: string[], timeoutMs?: number): Promise<Outcome>;
  annex(args: string[], timeoutMs?: number): Promise<Outcome>;
  annexOk(args: string[], timeoutMs?: number): Promise<Outcome>;
  keyOf(file: string): Promise<string>;
}

/** A new repository (git init, git annex init) talking to the emulator. */
export async function createAnnexRepo(emulator: Emulator, prefix: string): Promise<AnnexRepo> {
  const work = makeScratchDir(prefix);
  const bin = join(work, 'bin');
  mkdirSync(bin);
  const callLog = join(work, 'glacier-calls.log');
  writeFileSync(
    join(bin, 'glacier'),
    `#!/bin/sh\n'${process.execPath}' '${binPath('glacier')}' "$@"\nstatus=$?\nprintf '%s => exit %s\\n' "$*" "$status" >> '${callLog}'\nexit $status\n`,
  );
  chmodSync(join(bin, 'glacier'), 0o755);
  mkdirSync(join(work, 'home'));
  const env: NodeJS.ProcessEnv = {
    ...emulator.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    HOME: join(work, 'home'),
    XDG_CACHE_HOME: join(work, 'cache'),
    GIT_AUTHOR_NAME: 'Annex Tester',
    GIT_AUTHOR_EMAIL: 'tester@example.org',
    GIT_COMMITTER_NAME: 'Annex Tester',
    GIT_COMMITTER_EMAIL: 'tester@example.org',
    GIT_CONFIG_NOSYSTEM: '1',
    GLACIER_RETRY_BASE_MS: '20',
  };
  const repo = join(work, 'repo');
  mkdirSync(repo);

  const run = (program: string, args: string[], timeoutMs = 60_000): Promise<Outcome> =>
    new Promise((resolve, reject) => {
      const child = spawn(program, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() });
      });
    });
  const annex = (args: string[], timeoutMs?: number): Promise<Outcome> => run('git', ['annex', ...args], timeoutMs);
  const annexOk = async (args: string[], timeoutMs?: number): Promise<Outcome> => {
    const outcome = await annex(args, timeoutMs);
    assert.equal(outcome.status, 0, `git annex ${args.join(' ')} failed:\n${outcome.stdout}\n${outcome.stderr}`);
    return outcome;
  };
  const keyOf = async (file: string): Promise<string> => (await annexOk(['lookupkey', file])).stdout.trim();

  assert.equal((await run('git', ['init', '-q', '-b', 'main'])).status, 0);
  await annexOk(['init', 'test repository']);
  return { work, repo, env, callLog, run, annex, annexOk, keyOf };
}
