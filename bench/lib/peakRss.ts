import { readFileSync } from 'node:fs';

/** Peak resident set of a live process, in bytes (VmHWM), or 0 once it is gone. */
export function peakRss(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0;
  }
}
