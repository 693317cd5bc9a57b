import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';

const MiB = 1024 * 1024;

/** SIZE MiB of incompressible bytes, each MiB different, written without holding them all. */
export function writeRandomFile(path: string, sizeMiB: number): void {
  const fd = openSync(path, 'w');
  const block = randomBytes(MiB);
  for (let i = 0; i < sizeMiB; i++) {
    block.writeUInt32LE(i, 0);
    writeSync(fd, block);
  }
  closeSync(fd);
}
