// Where and as whom to talk to Glacier, resolved without loading the AWS SDK so that
// commands answered from the cache stay fast (GLACIER-NOTES.md, "Speed").
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Connection {
  region: string;
  /** --endpoint-url; otherwise the SDK reads AWS_ENDPOINT_URL_GLACIER / AWS_ENDPOINT_URL. */
  endpointUrl?: string;
  profile?: string;
}

export const DEFAULT_REGION = 'us-east-1';

export function resolveConnection(flags: { region?: string; endpointUrl?: string; profile?: string }): Connection {
  const profile = flags.profile ?? process.env.AWS_PROFILE;
  const region =
    nonEmpty(flags.region) ??
    nonEmpty(process.env.AWS_REGION) ??
    nonEmpty(process.env.AWS_DEFAULT_REGION) ??
    regionOfProfile(profile ?? 'default') ??
    DEFAULT_REGION;
  const connection: Connection = { region };
  if (flags.endpointUrl !== undefined) connection.endpointUrl = flags.endpointUrl;
  if (profile !== undefined) connection.profile = profile;
  return connection;
}

/**
 * Who the credentials belong to, as far as can be told without a request: the access key
 * id from the environment, else the profile. The cache maps this to an account id once.
 */
export function credentialIdentity(connection: Connection): string {
  const key = process.env.AWS_ACCESS_KEY_ID;
  if (connection.profile === undefined && key !== undefined && key !== '') return `key:${key}`;
  return `profile:${connection.profile ?? 'default'}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** The `region` of a profile in the shared config file (INI), or undefined. */
function regionOfProfile(profile: string): string | undefined {
  const file = process.env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const wanted = profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`];
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      inSection = wanted.includes(section[1] ?? '');
      continue;
    }
    if (!inSection) continue;
    const setting = /^region\s*=\s*(\S+)/.exec(line);
    if (setting) return setting[1];
  }
  return undefined;
}
