// Ctrl-C or SIGTERM during a download to a file: exit at once with 130, saying how to
// resume. Stopping mid-segment is safe: the sidecar lists a segment only after its bytes
// were written, and a resumed run re-hashes every listed segment anyway.
import { error, quote } from '../cli/messages.js';
import { EXIT_INTERRUPTED } from '../errors.js';

export function exitWithResumeNotice(label: string, partialPath: string): () => void {
  const onSignal = (): void => {
    if (process.stderr.isTTY === true) process.stderr.write('\r\x1b[K');
    error(`interrupted; the verified part of ${quote(label)} stays in ${partialPath}: run the same command again to resume`);
    process.exit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
