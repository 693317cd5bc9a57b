// The input of an upload: a regular file or stdin ('-'). Everything that can be refused
// without reading (missing file, a directory, an empty file) is refused here, before any
// request.
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { quote } from '../report/quote.js';
import { UsageError } from '../errors.js';
import { fileByteSource, streamByteSource, type ByteSource } from '../streams/byteSource.js';

export interface UploadInput {
  source: ByteSource;
  /** An absolute path, or '-' for stdin: what a pending upload remembers. */
  id: string;
  /** Exact size of a file input. */
  size?: number;
  mtimeMs?: number;
  close(): Promise<void>;
}

export async function openUploadInput(path: string): Promise<UploadInput> {
  if (path === '-') {
    return { source: streamByteSource(process.stdin), id: '-', close: async () => undefined };
  }
  const info = await stat(path).catch((cause: unknown) => {
    throw new UsageError(`cannot read ${quote(path)}: ${describeStatError(cause)}`);
  });
  if (info.isDirectory()) throw new UsageError(`${quote(path)} is a directory; give a file, or - for stdin`);
  if (info.isFile() && info.size === 0) {
    throw new UsageError(`${quote(path)} is empty: Glacier cannot store an empty archive`);
  }
  const file = await open(path, 'r').catch((cause: unknown) => {
    throw new UsageError(`cannot read ${quote(path)}: ${describeStatError(cause)}`);
  });
  const input: UploadInput = { source: fileByteSource(file), id: resolve(path), close: () => file.close() };
  // A FIFO or a device has no size to plan with: treat it like stdin.
  if (info.isFile()) {
    input.size = info.size;
    input.mtimeMs = info.mtimeMs;
  }
  return input;
}

function describeStatError(cause: unknown): string {
  const code = (cause as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ENOTDIR') return 'a component of the path is not a folder';
  return cause instanceof Error ? cause.message : String(cause);
}
