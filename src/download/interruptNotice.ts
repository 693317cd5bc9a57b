// Ctrl-C or SIGTERM during a download to a file: exit at once with 130, saying how to
// resume. Stopping mid-segment is safe: the sidecar lists a segment only after its bytes
// were written, and a resumed run re-hashes every listed segment anyway.
import { quote } from '../report/quote.js';
import { exitOnInterrupt } from '../exitOnInterrupt.js';

export function exitWithResumeNotice(label: string, partialPath: string): () => void {
  return exitOnInterrupt(`interrupted; the verified part of ${quote(label)} stays in ${partialPath}: run the same command again to resume`);
}
