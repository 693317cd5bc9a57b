// A small tmpfs mounted over a folder in a private mount namespace, for the duration of one
// command: a full or read-only disk without touching the machine. Needs root (or user
// namespaces); tests skip when it cannot be had.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

export interface TmpfsOptions {
  /** tmpfs mount options, such as `size=1m` or `ro`. */
  options: string;
}

const MOUNT_AND_RUN = 'mount -t tmpfs -o "$1" tmpfs "$2" && shift 2 && exec "$@"';

export function canMountTmpfs(dir: string): boolean {
  return spawnSync('unshare', ['--mount', 'sh', '-c', MOUNT_AND_RUN, 'sh', 'size=1m', dir, 'true'], { stdio: 'ignore' }).status === 0;
}

/** Runs COMMAND ARGS with a fresh tmpfs (OPTIONS) over DIR, seen by that command only. */
export function runOnTmpfs(dir: string, tmpfs: TmpfsOptions, command: string, args: string[], env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync('unshare', ['--mount', 'sh', '-c', MOUNT_AND_RUN, 'sh', tmpfs.options, dir, command, ...args], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}
