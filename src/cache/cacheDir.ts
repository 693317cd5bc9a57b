import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The cache folder: --cache-dir, else $GLACIER_CACHE_DIR, else
 * ${XDG_CACHE_HOME:-$HOME/.cache}/glacier-cli (the old tool's folder; its SQLite file `db`
 * there is only read, to import it, since the LMDB environment lives in `lmdb`).
 */
export function resolveCacheDir(flag?: string): string {
  if (flag !== undefined && flag !== '') return flag;
  const fromEnv = process.env.GLACIER_CACHE_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return xdgCacheFolder();
}

/** The Python glacier-cli's SQLite cache, wherever this tool's own cache is kept. */
export function oldCachePath(): string {
  return join(xdgCacheFolder(), 'db');
}

function xdgCacheFolder(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache');
  return join(base, 'glacier-cli');
}
