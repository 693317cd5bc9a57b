// What every command derives from the global options, wherever they stood on the line.
// Values that cannot work are usage errors here, before any network work: a region that is
// not a region name, an endpoint that is not an http(s) URL, a profile no AWS file holds.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolveCacheDir } from '../cache/cacheDir.js';
import { resolveConnection, type Connection } from '../aws/connection.js';
import { UsageError } from '../errors.js';
import type { ReporterOptions } from '../report/reporter.js';

export interface CommandContext {
  connection: Connection;
  cacheDir: string;
}

export function commandContext(options: { region?: string; 'endpoint-url'?: string; profile?: string; 'cache-dir'?: string }): CommandContext {
  const flags: { region?: string; endpointUrl?: string; profile?: string } = {};
  if (options.region !== undefined) flags.region = options.region;
  if (options['endpoint-url'] !== undefined) flags.endpointUrl = checkEndpoint(options['endpoint-url']);
  if (options.profile !== undefined) flags.profile = checkProfile(options.profile);
  const connection = resolveConnection(flags);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(connection.region)) {
    throw new UsageError(`'${connection.region}' is not a region name (such as us-east-1)`);
  }
  return { connection, cacheDir: resolveCacheDir(options['cache-dir']) };
}

function checkEndpoint(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new UsageError(`--endpoint-url takes an http:// or https:// URL, not '${text}'`);
  }
  return text;
}

/** A profile named on the command line must be in the shared config or credentials file. */
function checkProfile(profile: string): string {
  const config = process.env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config');
  const credentials = process.env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials');
  const inConfig = sectionsOf(config).some((name) => name === `profile ${profile}` || (profile === 'default' && name === 'default'));
  if (inConfig || sectionsOf(credentials).includes(profile)) return profile;
  throw new UsageError(`no profile '${profile}' in ${config} or ${credentials}`);
}

function sectionsOf(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[\s*(.+?)\s*\]\s*$/.exec(line);
    if (section?.[1] !== undefined) names.push(section[1].replace(/\s+/g, ' '));
  }
  return names;
}

/** --progress / --no-progress: forced on or off; neither, the reporter's own choice (a terminal). */
export function progressOption(options: { progress?: boolean; 'no-progress'?: boolean }): ReporterOptions {
  if (options.progress === true && options['no-progress'] === true) throw new UsageError('--progress and --no-progress contradict each other');
  if (options.progress === true) return { progress: true };
  if (options['no-progress'] === true) return { progress: false };
  return {};
}
