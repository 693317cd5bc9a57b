// Archive names are Glacier archive descriptions (api-archive-post.md,
// x-amz-archive-description): printable ASCII only, at most 1024 bytes. Glacier strips
// leading spaces, so such a name would come back different: refuse it instead.
import { UsageError } from '../errors.js';
import { quote } from '../report/quote.js';

export const MAX_ARCHIVE_NAME_BYTES = 1024;

/** Why Glacier cannot store `name` as given, or undefined when it can. */
export function archiveNameProblem(name: string): string | undefined {
  if (name === '') return 'the archive name is empty';
  const unprintable = [...name].find((ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return code < 0x20 || code > 0x7e;
  });
  if (unprintable !== undefined) {
    const code = (unprintable.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(2, '0');
    return `archive name ${quote(name)} holds U+${code}: Glacier stores only printable ASCII (0x20-0x7E)`;
  }
  if (name.length > MAX_ARCHIVE_NAME_BYTES) {
    return `archive name is ${name.length} bytes long: Glacier stores at most ${MAX_ARCHIVE_NAME_BYTES}`;
  }
  if (name.startsWith(' ')) return `archive name ${quote(name)} starts with a space: Glacier would strip it`;
  return undefined;
}

/** The name unchanged, or a UsageError (exit 2) saying why Glacier cannot store it. */
export function checkArchiveName(name: string): string {
  const problem = archiveNameProblem(name);
  if (problem !== undefined) throw new UsageError(problem);
  return name;
}
