// Runs a command to completion and reports what it cost: wall time, CPU time (user +
// system, every thread, read from the kernel's accounting when bash reaps it, so nothing
// after the last sample is missed) and peak RSS.
import { spawn } from 'node:child_process';
import { peakRss } from './peakRss.js';

export interface MeasuredRun {
  status: number | null;
  seconds: number;
  cpuSeconds: number;
  peakRss: number;
}

// bash runs the command as its child, says its pid, waits for it, then prints with
// `times` the CPU time of its reaped children: exactly the command's.
const REPORTER = '"$@" 3>&- & echo "$!" >&3; wait "$!"; status=$?; times >&3; exit "$status"';

export function measuredRun(command: string, args: string[], options: { env: NodeJS.ProcessEnv; stdout: number }): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('bash', ['-c', REPORTER, 'bash', command, ...args], { env: options.env, stdio: ['ignore', options.stdout, 'inherit', 'pipe'] });
    let report = '';
    let peak = 0;
    let pid = 0;
    const poll = setInterval(() => {
      if (pid > 0) peak = Math.max(peak, peakRss(pid));
    }, 50);
    const channel = child.stdio[3];
    if (channel === null || channel === undefined || !('setEncoding' in channel)) throw new Error('no report channel');
    channel.setEncoding('utf8');
    channel.on('data', (text: string) => {
      report += text;
      if (pid === 0 && report.includes('\n')) pid = Number(report.slice(0, report.indexOf('\n')));
    });
    child.on('error', reject);
    child.on('close', (status) => {
      clearInterval(poll);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // The last line of `times`: user and system time of the children, as "0m2.345s 0m0.678s".
      const lines = report.trim().split('\n');
      const times = (lines[lines.length - 1] ?? '').split(' ').map(minutesAndSeconds);
      if (lines.length < 3 || times.length !== 2 || times.some(Number.isNaN)) {
        reject(new Error(`no CPU report from bash (exit ${status}): ${report}`));
        return;
      }
      resolve({ status, seconds, cpuSeconds: times[0]! + times[1]!, peakRss: peak });
    });
  });
}

function minutesAndSeconds(text: string): number {
  const match = /^(\d+)m([\d.]+)s$/.exec(text);
  return match === null ? Number.NaN : Number(match[1]) * 60 + Number(match[2]);
}
