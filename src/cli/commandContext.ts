// What every command derives from the global options, wherever they stood on the line.
import { resolveCacheDir } from '../cache/cacheDir.js';
import { resolveConnection, type Connection } from '../aws/connection.js';
import { UsageError } from '../errors.js';
import type { ReporterOptions } from '../report/reporter.js';

export interface CommandContext {
  connection: Connection;
  cacheDir: string;
}

export function commandContext(options: {
  region?: string;
  'endpoint-url'?: string;
  profile?: string;
  'cache-dir'?: string;
}): CommandContext {
  const flags: { region?: string; endpointUrl?: string; profile?: string } = {};
  if (options.region !== undefined) flags.region = options.region;
  if (options['endpoint-url'] !== undefined) flags.endpointUrl = options['endpoint-url'];
  if (options.profile !== undefined) flags.profile = options.profile;
  return { connection: resolveConnection(flags), cacheDir: resolveCacheDir(options['cache-dir']) };
}

/** --progress / --no-progress: forced on or off; neither, the reporter's own choice (a terminal). */
export function progressOption(options: { progress?: boolean; 'no-progress'?: boolean }): ReporterOptions {
  if (options.progress === true && options['no-progress'] === true) throw new UsageError('--progress and --no-progress contradict each other');
  if (options.progress === true) return { progress: true };
  if (options['no-progress'] === true) return { progress: false };
  return {};
}
