// The AWS shared files (~/.aws/config, ~/.aws/credentials), read the way the AWS CLI and
// boto read them, without loading the AWS SDK: the region, endpoint and static key of a
// profile are needed on paths answered from the cache alone.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Section name → setting → value; a nested block (`glacier =` then indented lines) as `glacier.key`. */
type IniFile = Map<string, Map<string, string>>;

const parsed = new Map<string, IniFile>();

export function configFilePath(): string {
  return nonEmpty(process.env.AWS_CONFIG_FILE) ?? join(homedir(), '.aws', 'config');
}

export function credentialsFilePath(): string {
  return nonEmpty(process.env.AWS_SHARED_CREDENTIALS_FILE) ?? join(homedir(), '.aws', 'credentials');
}

/** A setting of a profile in the config file (`[profile P]`, or `[default]`). */
export function profileSetting(profile: string, key: string): string | undefined {
  const file = iniFile(configFilePath());
  for (const section of configSectionNames(profile)) {
    const value = file.get(section)?.get(key);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** A credential setting of a profile: the credentials file first, then the config file. */
export function profileCredentialSetting(profile: string, key: string): string | undefined {
  return iniFile(credentialsFilePath()).get(profile)?.get(key) ?? profileSetting(profile, key);
}

/** Whether either file has a section for the profile. */
export function profileExists(profile: string): boolean {
  const config = iniFile(configFilePath());
  return iniFile(credentialsFilePath()).has(profile) || configSectionNames(profile).some((name) => config.has(name));
}

/**
 * A setting of one service in the `[services NAME]` section the profile names with
 * `services = NAME`, e.g. `glacier =` then `  endpoint_url = ...`.
 */
export function profileServiceSetting(profile: string, service: string, key: string): string | undefined {
  const services = profileSetting(profile, 'services');
  if (services === undefined) return undefined;
  return iniFile(configFilePath()).get(`services ${services}`)?.get(`${service}.${key}`);
}

function configSectionNames(profile: string): string[] {
  return profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`];
}

function iniFile(path: string): IniFile {
  let file = parsed.get(path);
  if (file === undefined) {
    file = parseIni(readOrEmpty(path));
    parsed.set(path, file);
  }
  return file;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** INI as the AWS tools write it: `[section]`, `key = value`, and indented sub-settings. */
export function parseIni(text: string): IniFile {
  const sections: IniFile = new Map();
  let section: Map<string, string> | undefined;
  let block: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (header) {
      const name = (header[1] as string).replace(/\s+/g, ' ');
      section = sections.get(name) ?? new Map();
      sections.set(name, section);
      block = undefined;
      continue;
    }
    const setting = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (section === undefined || setting === null) continue;
    const key = (setting[1] as string).toLowerCase();
    const value = (setting[2] as string).trim();
    const indented = /^\s/.test(raw);
    if (indented && block !== undefined) {
      section.set(`${block}.${key}`, value);
    } else if (value === '') {
      block = key;
    } else {
      block = undefined;
      section.set(key, value);
    }
  }
  return sections;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
