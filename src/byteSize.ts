// Sizes on the command line: plain bytes, or a number with a binary unit (K, M, G, T,
// with or without "iB"/"B"): `64M`, `64MiB`, `1G`, `1GiB`, `1048576`.
import { UsageError } from './errors.js';
import { MiB } from './streams/treeHash.js';

const UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** The byte count `text` denotes, or undefined when it is not a size. */
export function parseByteSize(text: string): number | undefined {
  const match = /^(\d+)(?:([KMGT])(?:i?B)?|B)?$/i.exec(text.trim());
  if (match === null) return undefined;
  const unit = UNITS[(match[2] ?? '').toUpperCase()] ?? 1;
  const bytes = Number(match[1]) * unit;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** A size option, or a UsageError naming the option. */
export function byteSizeOption(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const bytes = parseByteSize(value);
  if (bytes === undefined || bytes === 0) {
    throw new UsageError(`--${option} takes a size such as 64M, 1GiB or a number of bytes, not '${value}'`);
  }
  return bytes;
}

/** `64M`, `1G`, `1.5G`: the short form used in messages and suggested options. */
export function formatByteSize(bytes: number): string {
  for (const [unit, factor] of [
    ['T', 2 ** 40],
    ['G', 2 ** 30],
    ['M', 2 ** 20],
    ['K', 2 ** 10],
  ] as const) {
    if (bytes >= factor) {
      const value = bytes / factor;
      return `${Number.isInteger(value) ? value : value.toFixed(1)}${unit}`;
    }
  }
  return `${bytes}`;
}

/** 1 MiB × 2^n: the sizes Glacier accepts for parts and returns tree hashes for. */
export function isPowerOfTwoMiB(bytes: number): boolean {
  const mebibytes = bytes / MiB;
  return Number.isSafeInteger(bytes) && Number.isInteger(mebibytes) && mebibytes >= 1 && (mebibytes & (mebibytes - 1)) === 0;
}
