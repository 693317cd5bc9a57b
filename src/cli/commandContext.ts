// What every command derives from the global options, wherever they stood on the line.
import { resolveCacheDir } from '../cache/cacheDir.js';
import { resolveConnection, type Connection } from '../aws/connection.js';

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
