// `glacier treehash [FILE|-]...`: the SHA-256 tree hash of each input, printed the way
// sha256sum prints (`HASH  NAME`), and like sha256sum an unreadable input is reported
// and the others still hashed, with exit 1 at the end. No AWS SDK, no cache.
import { open } from 'node:fs/promises';
import { error } from '../cli/messages.js';
import { quote } from '../report/quote.js';
import { parseCommandLine, type OptionSpecs } from '../cli/parseCommandLine.js';
import { FailureError } from '../errors.js';
import { fileByteSource, streamByteSource, type ByteSource } from '../streams/byteSource.js';
import { hashSource } from '../streams/hashSource.js';
import { TreeHasher } from '../streams/treeHash.js';
import { printable, printableJson } from '../printable.js';

export const usage = 'treehash [--json] [FILE|-]...';

export const optionSpecs = {
  json: { type: 'boolean', description: 'one JSON object per input and line' },
} as const satisfies OptionSpecs;

export async function run(argv: string[]): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  const inputs = positionals.length === 0 ? ['-'] : positionals;
  let failures = 0;
  for (const input of inputs) {
    try {
      const hash = await treeHashOfInput(input);
      process.stdout.write(options.json === true ? `${printableJson({ treeHash: hash, input })}\n` : `${hash}  ${printable(input)}\n`);
    } catch (cause) {
      failures++;
      error(`${quote(input)}: ${describeReadError(cause)}`);
    }
  }
  if (failures > 0) throw new FailureError('');
}

async function treeHashOfInput(input: string): Promise<string> {
  if (input === '-') return treeHashOf(streamByteSource(process.stdin));
  const file = await open(input, 'r');
  try {
    return await treeHashOf(fileByteSource(file));
  } finally {
    await file.close();
  }
}

async function treeHashOf(source: ByteSource): Promise<string> {
  const hasher = new TreeHasher();
  await hashSource(source, (bytes) => hasher.update(bytes));
  return hasher.digest().toString('hex');
}

function describeReadError(cause: unknown): string {
  const code = (cause as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return cause instanceof Error ? cause.message : String(cause);
}
