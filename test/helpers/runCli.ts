// Runs the real executables as child processes, the way users and git-annex do.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function binPath(program: string): string {
  return `${REPO_ROOT}bin/${program}.js`;
}

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv | undefined;
  /** Bytes for stdin, a stream piped into stdin, or nothing (stdin closed at once). */
  input?: Buffer | string | Readable | undefined;
  cwd?: string | undefined;
  /** Kill the process after this many ms (SIGKILL). */
  timeoutMs?: number | undefined;
}

export interface RunningCli {
  /** The process: for the signals a test sends it. */
  child: ChildProcessWithoutNullStreams;
  /** Resolves when it exits, whatever the exit code. */
  result: Promise<CliResult>;
}

/** Run bin/PROGRAM.js with ARGS; resolves when it exits, whatever the exit code. */
export function runCli(program: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
  return startCli(program, args, options).result;
}

/** Start bin/PROGRAM.js with ARGS, for a test that interrupts it while it runs. */
export function startCli(program: string, args: string[], options: RunOptions = {}): RunningCli {
  const child = spawn(process.execPath, [binPath(program), ...args], {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const result = new Promise<CliResult>((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => {
      // The program may exit without reading its input (usage errors): that is allowed.
    });
    const timer = options.timeoutMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (status, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ status, signal, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
  const input = options.input;
  if (input === undefined) child.stdin.end();
  else if (typeof input === 'string' || Buffer.isBuffer(input)) child.stdin.end(input);
  else input.pipe(child.stdin);
  return { child, result };
}
