// One glacier process of the chaos bench: started, perhaps interrupted (SIGKILL or SIGINT
// after a random delay), and reported with what it wrote to stdout and stderr.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { binPath } from '../../test/helpers/runCli.js';

export interface Outcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  /** The signal this bench sent, if it sent one before the process ended. */
  interrupted?: NodeJS.Signals;
  timedOut: boolean;
}

export interface RunPlan {
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** A file piped into stdin; else stdin is closed at once. */
  stdinFile?: string;
  /** Send this signal after `afterMs`, if the process still runs. */
  interrupt?: { signal: NodeJS.Signals; afterMs: number };
  timeoutMs: number;
}

export function runGlacier(plan: RunPlan): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath('glacier'), ...plan.args], {
      env: plan.env,
      cwd: plan.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let interrupted: NodeJS.Signals | undefined;
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => undefined);
    const timers: NodeJS.Timeout[] = [];
    if (plan.interrupt !== undefined) {
      const { signal, afterMs } = plan.interrupt;
      timers.push(
        setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) {
            interrupted = signal;
            child.kill(signal);
          }
        }, afterMs),
      );
    }
    timers.push(
      setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, plan.timeoutMs),
    );
    child.on('error', reject);
    child.on('close', (status, signal) => {
      for (const timer of timers) clearTimeout(timer);
      resolve({
        status,
        signal,
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr).toString('utf8'),
        ...(interrupted !== undefined ? { interrupted } : {}),
        timedOut,
      });
    });
    if (plan.stdinFile === undefined) child.stdin.end();
    else
      createReadStream(plan.stdinFile)
        .on('error', () => child.stdin.end())
        .pipe(child.stdin);
  });
}
