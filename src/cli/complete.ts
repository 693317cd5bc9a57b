// `glacier __complete PROGRAM WORD... CURRENT`: the candidates for the word being typed,
// one a line, for the completion scripts (src/cli/completion.ts). Commands and options come
// from the tables; vault and archive names from the cache, read-only, with no request and
// no AWS SDK. A lone `:files` line asks the shell to complete file names instead.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCacheDir } from '../cache/cacheDir.js';
import type { GlacierCache } from '../cache/glacierCache.js';
import { COMMANDS, EXECUTABLE_COMMANDS, loadCommand } from './commandTable.js';
import { globalOptionSpecs, type OptionSpecs } from './parseCommandLine.js';

export const FILES = ':files';
const SHELLS = ['bash', 'zsh', 'fish'];
const TIERS = ['expedited', 'standard', 'bulk'];
const MAX_NAMES = 2000;

export async function complete(args: string[]): Promise<void> {
  const [program = 'glacier', ...typed] = args;
  const current = typed.pop() ?? '';
  const single = EXECUTABLE_COMMANDS[program];
  const words = single !== undefined ? [...single.split(' '), ...typed] : typed;
  const candidates = await candidatesFor(words, current, single !== undefined);
  const lines = candidates === FILES ? [FILES] : candidates.filter((candidate) => candidate.startsWith(current));
  process.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
}

async function candidatesFor(words: string[], current: string, single: boolean): Promise<string[] | typeof FILES> {
  const globals = globalOptionSpecs as OptionSpecs;
  let cacheDir: string | undefined;
  let index = 0;
  // Global options before the command, with their values.
  for (; index < words.length && (words[index] ?? '').startsWith('--') && !single; index++) {
    const [name = '', inline] = (words[index] as string).slice(2).split('=');
    if (globals[name]?.type === 'string' && inline === undefined) {
      if (name === 'cache-dir') cacheDir = words[index + 1];
      index++;
    }
  }
  const previous = words[words.length - 1];
  const previousSpec = previous?.startsWith('--') === true && !previous.includes('=') ? globals[previous.slice(2)] : undefined;
  const remaining = words.slice(index);
  if (remaining.length === 0 && previousSpec?.type === 'string') return valuesOf(previousSpec.value);
  const groupWords = [...new Set(Object.keys(COMMANDS).map((entry) => entry.split(' ')[0] as string))];
  const [first, second] = remaining;
  if (first === undefined) return current.startsWith('-') ? optionNames(globals) : [...groupWords, 'help', 'completion'];
  if (first === 'completion') return remaining.length === 1 ? SHELLS : [];
  if (first === 'help') {
    if (second === undefined) return groupWords;
    return remaining.length === 2 && COMMANDS[second] === undefined ? verbsOf(second) : [];
  }
  const command = COMMANDS[first] !== undefined ? first : second !== undefined ? `${first} ${second}` : undefined;
  if (command === undefined) return verbsOf(first);
  if (COMMANDS[command] === undefined) return [];
  const module = await loadCommand(command);
  const args = remaining.slice(command.split(' ').length);
  return operandCandidates(module.optionSpecs, module.usage.slice(command.length), args, current, cacheDir);
}

async function operandCandidates(specs: OptionSpecs, synopsis: string, args: string[], current: string, cacheDirFlag: string | undefined): Promise<string[] | typeof FILES> {
  const positionals: string[] = [];
  let cacheDir = cacheDirFlag;
  let expectingValue: string | undefined;
  let afterDoubleDash = false;
  for (const arg of args) {
    if (expectingValue !== undefined) {
      if (expectingValue === 'cache-dir') cacheDir = arg;
      expectingValue = undefined;
    } else if (afterDoubleDash || !arg.startsWith('-') || arg === '-') positionals.push(arg);
    else if (arg === '--') afterDoubleDash = true;
    else {
      const spec = specOf(specs, arg);
      if (spec !== undefined && spec[1].type === 'string' && !arg.includes('=') && !/^-[^-]./.test(arg)) expectingValue = spec[0];
    }
  }
  if (expectingValue !== undefined) return valuesOf(specs[expectingValue]?.value);
  if (current.startsWith('-') && !afterDoubleDash) return [...optionNames(specs), '--help'];
  const operands = operandNames(synopsis);
  const last = operands[operands.length - 1] ?? '';
  const operand = operands[positionals.length] ?? (last.endsWith('...') ? last : undefined);
  if (operand === undefined) return [];
  if (operand.includes('FILE')) return FILES;
  if (operand === 'VAULT' || operand === '[VAULT]') return vaultNames(cacheDir);
  if (operand.includes('NAME') && positionals[0] !== undefined) return archiveNames(cacheDir, positionals[0]);
  return [];
}

/** `VAULT`, `NAME...`, `FILE|-`: the operands of a synopsis, options and their brackets left out. */
export function operandNames(synopsis: string): string[] {
  let withoutOptions = '';
  for (let index = 0; index < synopsis.length; index++) {
    if (synopsis.startsWith('[-', index)) {
      // Skip the whole option group, nested brackets included: [--long [-h] | --json].
      for (let depth = 0; index < synopsis.length; index++) {
        if (synopsis[index] === '[') depth++;
        else if (synopsis[index] === ']' && --depth === 0) break;
      }
      withoutOptions += ' ';
    } else withoutOptions += synopsis[index];
  }
  return withoutOptions
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => word.replace(/^\[|\]$/g, ''));
}

function specOf(specs: OptionSpecs, arg: string): [string, OptionSpecs[string]] | undefined {
  if (arg.startsWith('--')) {
    const name = arg.slice(2).split('=')[0] as string;
    const spec = specs[name];
    return spec === undefined ? undefined : [name, spec];
  }
  const found = Object.entries(specs).find(([, spec]) => spec.short === arg[1]);
  return found;
}

function optionNames(specs: OptionSpecs): string[] {
  return Object.entries(specs).flatMap(([name, spec]) => [`--${name}`, ...(spec.short !== undefined ? [`-${spec.short}`] : [])]);
}

function valuesOf(value: string | undefined): string[] | typeof FILES {
  if (value === 'FILE' || value === 'DIR') return FILES;
  if (value === 'TIER') return TIERS;
  return [];
}

function verbsOf(group: string): string[] {
  return Object.keys(COMMANDS)
    .filter((words) => words.startsWith(`${group} `))
    .map((words) => words.slice(group.length + 1));
}

/** Opens the cache only where one exists: completing must never create it. */
async function withCache<T>(cacheDirFlag: string | undefined, read: (cache: GlacierCache) => T[]): Promise<T[]> {
  const cacheDir = resolveCacheDir(cacheDirFlag);
  if (!existsSync(join(cacheDir, 'lmdb'))) return [];
  const { GlacierCache } = await import('../cache/glacierCache.js');
  const cache = GlacierCache.open(cacheDir);
  try {
    return read(cache);
  } finally {
    cache.close();
  }
}

function vaultNames(cacheDir: string | undefined): Promise<string[]> {
  return withCache(cacheDir, (cache) => [...new Set([...cache.vaultScopes()].map((scope) => scope.vault))].sort());
}

function archiveNames(cacheDir: string | undefined, vault: string): Promise<string[]> {
  return withCache(cacheDir, (cache) => {
    const names = new Set<string>();
    for (const scope of cache.vaultScopes()) {
      if (scope.vault !== vault) continue;
      for (const { name } of cache.liveNames(scope)) {
        if (name !== '') names.add(name);
        if (names.size >= MAX_NAMES) break;
      }
    }
    return [...names];
  });
}
