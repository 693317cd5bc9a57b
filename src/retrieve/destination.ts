// Where a retrieved archive goes: stdout (-o-), the file named by -o, or, as the old tool
// did, the archive name's base name in the current directory (never overwriting an
// existing file there unless --force); for a name another tool encoded, the base name of
// the path it decodes to.
import { existsSync, statSync } from 'node:fs';
import { dirname, posix } from 'node:path';
import { quote } from '../cli/messages.js';
import { UsageError } from '../errors.js';
import { foreignFileName } from '../foreignName.js';

export type Destination = { kind: 'stdout' } | { kind: 'file'; path: string };

export function explicitDestination(output: string): Destination {
  if (output === '-') return { kind: 'stdout' };
  if (output === '') throw new UsageError("-o needs a file name, or '-' for stdout");
  const directory = dirname(output);
  if (!isDirectory(directory)) throw new UsageError(`cannot write ${quote(output)}: no directory ${quote(directory)}`);
  if (isDirectory(output)) throw new UsageError(`cannot write ${quote(output)}: it is a directory; name a file`);
  return { kind: 'file', path: output };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function defaultDestination(archiveName: string, force: boolean): Destination {
  const base = foreignFileName(archiveName) ?? posix.basename(archiveName);
  if (base === '' || base === '.' || base === '..') {
    throw new UsageError(`archive name ${quote(archiveName)} gives no usable file name; name the output with -o FILE (or -o- for stdout)`);
  }
  if (!force && existsSync(base)) {
    throw new UsageError(`${quote(base)} already exists; use --force to overwrite it, or -o FILE`);
  }
  return { kind: 'file', path: base };
}
