// Strict option parsing for every command. node:util parseArgs is used rather than mri
// because the contract depends on two forms mri mangles: a lone `-` positional (stdin, as
// in `archive upload --name KEY VAULT -`) and `-o -` / `-o-` (stdout).
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** One line for --help and completion: what the option does. */
  description: string;
  /** What the value stands for in help (SIZE, FILE, ...); FILE values complete as files. */
  value?: string;
  /** The default, as help shows it. */
  default?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

type Values<S extends OptionSpecs> = {
  [K in keyof S]?: S[K]['type'] extends 'string' ? (S[K]['multiple'] extends true ? string[] : string) : boolean;
};

export interface ParsedCommandLine<S extends OptionSpecs> {
  options: Values<S>;
  positionals: string[];
}

/** Options shared by every command that may talk to Glacier (docs/compatibility.md, "Global options"). */
export const globalOptionSpecs = {
  region: { type: 'string', value: 'REGION', description: 'AWS region', default: 'AWS_REGION, the profile, else us-east-1' },
  'endpoint-url': { type: 'string', value: 'URL', description: 'Glacier endpoint (an emulator, a private endpoint)', default: 'AWS_ENDPOINT_URL_GLACIER, AWS_ENDPOINT_URL' },
  profile: { type: 'string', value: 'PROFILE', description: 'AWS profile for credentials and region', default: 'AWS_PROFILE' },
  'cache-dir': { type: 'string', value: 'DIR', description: 'directory of the local cache', default: 'GLACIER_CACHE_DIR, else ~/.cache/glacier-cli' },
  debug: { type: 'boolean', description: 'one stderr line per HTTP request and answer, never a secret', default: 'GLACIER_DEBUG=1' },
} as const satisfies OptionSpecs;

/** --limit-rate, shared by the commands that move archive bytes. */
export const limitRateSpec = {
  type: 'string',
  value: 'RATE',
  description: 'at most RATE bytes per second, shared by all connections (50M, 1.5G)',
  default: 'no limit',
} as const;

export function parseCommandLine<S extends OptionSpecs>(args: readonly string[], specs: S, usage: string): ParsedCommandLine<S> {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: parserOptions(specs),
      allowPositionals: true,
      strict: true,
    });
    return { options: values as Values<S>, positionals };
  } catch (cause) {
    throw new UsageError(`${describeParseError(cause)}; usage: ${usage}`);
  }
}

/** The table without its help text, as node:util parseArgs takes it. */
function parserOptions(specs: OptionSpecs): Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, { type, short, multiple }] of Object.entries(specs)) {
    options[name] = { type, ...(short !== undefined ? { short } : {}), ...(multiple !== undefined ? { multiple } : {}) };
  }
  return options;
}

function describeParseError(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = (cause as { code?: string }).code;
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) return `unknown option '${unknown[1]}'`;
  const noValue = /^Option '([^']+)' does not take an argument/.exec(message);
  if (noValue) return `option '${noValue[1]}' takes no value`;
  const ambiguous = /^Option '([^']+)' argument is ambiguous/.exec(message);
  if (ambiguous) return `option '${ambiguous[1]}' needs a value (write --option=VALUE for a value that starts with '-')`;
  const missing = /^Option '([^']+)' argument missing/.exec(message);
  if (missing) return `option '${missing[1]}' needs a value`;
  return message.split('\n')[0] ?? message;
}

/** Exactly `count` positionals, or a usage error naming what is missing or extra. */
export function expectPositionals(positionals: string[], names: string[], usage: string): string[] {
  if (positionals.length < names.length) {
    throw new UsageError(`missing ${names.slice(positionals.length).join(' ')}; usage: ${usage}`);
  }
  if (positionals.length > names.length) {
    throw new UsageError(`unexpected argument '${positionals[names.length]}'; usage: ${usage}`);
  }
  const empty = positionals.findIndex((value) => value === '');
  if (empty >= 0) throw new UsageError(`${names[empty]} is empty; usage: ${usage}`);
  return positionals;
}

/** A non-negative number option (hours, seconds), or a usage error. */
export function numberOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0) {
    throw new UsageError(`--${name} takes a non-negative number, not '${value}'`);
  }
  return parsed;
}
