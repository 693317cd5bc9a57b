// Where a retrieved archive goes: stdout (-o-), the file named by -o, or, as the old tool
// did, the archive name's base name in the current directory (never overwriting an
// existing file there unless --force); for a name another tool encoded, the base name of
// the path it decodes to. A destination that cannot be written is refused here, before
// any request: a retrieval job takes hours, and finding out then is too late. The
// archive's own name never leads outside the current directory: only a base name is used.
import { accessSync, constants, lstatSync, statSync } from 'node:fs';
import { dirname, posix } from 'node:path';
import { quote } from '../report/quote.js';
import { UsageError } from '../errors.js';
import { foreignFileName } from '../foreignName.js';

export type Destination = { kind: 'stdout' } | { kind: 'file'; path: string };

export function explicitDestination(output: string): Destination {
  if (output === '-') return { kind: 'stdout' };
  if (output === '') throw new UsageError("-o needs a file name, or '-' for stdout");
  checkWritable(output);
  return { kind: 'file', path: output };
}

/**
 * The finished file is renamed into place beside its partial files, so what counts is that
 * the folder can be written, and that the name is not a folder.
 */
function checkWritable(path: string): void {
  const directory = dirname(path);
  if (!isDirectory(directory)) throw new UsageError(`cannot write ${quote(path)}: no directory ${quote(directory)}`);
  if (isDirectory(path)) throw new UsageError(`cannot write ${quote(path)}: it is a directory; name a file`);
  try {
    accessSync(directory, constants.W_OK | constants.X_OK);
  } catch (failure) {
    const reason = (failure as NodeJS.ErrnoException).code === 'EROFS' ? 'it is on a read-only file system' : 'no permission to write there';
    throw new UsageError(`cannot write ${quote(path)} in directory ${quote(directory)}: ${reason}`);
  }
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
  if (!force && exists(base)) {
    throw new UsageError(`${quote(base)} already exists; use --force to overwrite it, or -o FILE`);
  }
  checkWritable(base);
  return { kind: 'file', path: base };
}

/** Anything at PATH, a dangling symlink included. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
