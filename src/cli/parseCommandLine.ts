// Strict option parsing for every command. node:util parseArgs is used rather than mri
// because the contract depends on two forms mri mangles: a lone `-` positional (stdin, as
// in `archive upload --name KEY VAULT -`) and `-o -` / `-o-` (stdout).
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;

type Values<S extends OptionSpecs> = {
  [K in keyof S]?: S[K]['type'] extends 'string'
    ? S[K]['multiple'] extends true
      ? string[]
      : string
    : boolean;
};

export interface ParsedCommandLine<S extends OptionSpecs> {
  options: Values<S>;
  positionals: string[];
}

/** Options shared by every command that may talk to Glacier (CONTRACT.md, "Global options"). */
export const globalOptionSpecs = {
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  profile: { type: 'string' },
  'cache-dir': { type: 'string' },
} as const satisfies OptionSpecs;

export function parseCommandLine<S extends OptionSpecs>(
  args: readonly string[],
  specs: S,
  usage: string,
): ParsedCommandLine<S> {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: specs,
      allowPositionals: true,
      strict: true,
    });
    return { options: values as Values<S>, positionals };
  } catch (cause) {
    throw new UsageError(`${describeParseError(cause)}; usage: ${usage}`);
  }
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
