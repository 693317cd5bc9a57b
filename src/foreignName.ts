// Archive descriptions written by other Glacier tools carry the original file's path in an
// encoding of their own. The description stays the archive's name everywhere (listings,
// git-annex, lookups); the decoded path is shown beside it and names the file a retrieval
// writes when no -o is given.
//   mt-aws-glacier: `mt2 ` + base64url(UTF-8 JSON {"filename": ..., "mtime": ...}); `mt1`
//     is the same with the JSON's UTF-8 bytes encoded to UTF-8 a second time.
//   FastGlacier (and tools that copied it): `<m><v>4</v><p>base64(UTF-8 path)</p>...</m>`.
//   JSON descriptions: `{"path": ...}` (also `Path`, `filename`).

/** The original path an archive description records, or undefined for a plain name. */
export function decodeForeignName(description: string): string | undefined {
  const mt = /^mt([12]) ([A-Za-z0-9_=-]+)$/.exec(description);
  if (mt !== null) return fromMtAws(mt[1] as string, mt[2] as string);
  const fast = /^\s*<m>.*<p>([A-Za-z0-9+/=\s]*)<\/p>.*<\/m>\s*$/s.exec(description);
  if (fast !== null) return nonEmpty(strictBase64(fast[1] as string));
  if (description.startsWith('{')) return fromJson(description);
  return undefined;
}

function fromMtAws(version: string, encoded: string): string | undefined {
  const bytes = Buffer.from(encoded.replace(/=+$/, ''), 'base64url');
  let text = utf8(bytes);
  if (text !== undefined && version === '1') text = utf8(Buffer.from(text, 'latin1'));
  if (text === undefined) return undefined;
  return fromJson(text, ['filename']);
}

function fromJson(text: string, keys = ['path', 'Path', 'filename']): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  for (const key of keys) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value === 'string') return nonEmpty(value);
  }
  return undefined;
}

/** Base64 that decodes to valid UTF-8 and encodes back to itself (so `abc` is not taken for bytes). */
function strictBase64(encoded: string): string | undefined {
  const compact = encoded.replace(/\s+/g, '');
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== compact.replace(/=+$/, '')) return undefined;
  return utf8(bytes);
}

function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

/**
 * The file name a retrieval writes for an archive another tool named: the last component
 * of the decoded path (either slash), without control characters; undefined for a plain
 * name, or when nothing usable is left ('', '.', '..').
 */
export function foreignFileName(description: string): string | undefined {
  const path = decodeForeignName(description);
  if (path === undefined) return undefined;
  const last = path.split(/[/\\]/).pop() ?? '';
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '');
  return clean === '' || clean === '.' || clean === '..' ? undefined : clean;
}
