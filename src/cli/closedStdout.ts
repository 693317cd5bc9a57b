// `glacier-retrieve -o- >&-`: Node reopens a closed standard output on /dev/null, so every
// byte written would vanish and the command would report success. Node opens it read-write,
// which a shell redirection to /dev/null (write-only) never does: that tells the two apart.
import { readFileSync, readlinkSync } from 'node:fs';

const ACCESS_MODE = 0o3;
const O_RDWR = 0o2;

export function stdoutWasClosed(): boolean {
  try {
    if (readlinkSync('/proc/self/fd/1') !== '/dev/null') return false;
    const flags = /^flags:\s*([0-7]+)$/m.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'))?.[1];
    return flags !== undefined && (parseInt(flags, 8) & ACCESS_MODE) === O_RDWR;
  } catch {
    // No /proc: nothing to tell by.
    return false;
  }
}
