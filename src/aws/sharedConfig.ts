// Settings of a profile in the shared AWS config file (INI: AWS_CONFIG_FILE, else
// ~/.aws/config), read without loading the AWS SDK.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The value of `key` in `profile`'s section, or undefined when the file, section or key is missing. */
export function profileSetting(profile: string, key: string): string | undefined {
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
    const setting = /^([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (setting?.[1] === key && setting[2] !== undefined && setting[2] !== '') return setting[2].trim();
  }
  return undefined;
}
