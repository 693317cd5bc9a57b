// Every message goes to stderr, prefixed the way the old tool did (CONTRACT.md, "Output
// formats"). stdout is reserved for payload.

const PREFIX = 'glacier';

// On a terminal a progress or wait status line may stand on the current line, drawn with
// \r and no newline: a message first erases it (the status line is drawn again on its
// next update), so the two never run together. Nothing changes where stderr is a file or
// a pipe.
const ERASE_LINE = '\r\x1b[K';

function write(line: string): void {
  process.stderr.write(`${process.stderr.isTTY === true ? ERASE_LINE : ''}${PREFIX}: ${line}\n`);
}

export function error(text: string): void {
  write(text);
}

export function warn(text: string): void {
  write(`warning: ${text}`);
}

export function info(text: string): void {
  write(`info: ${text}`);
}

/**
 * Quote a name the way Python's repr() quotes a str, so messages read as the old tool's
 * did: 'name', or "it's" when the name holds a single quote and no double quote.
 */
export function quote(name: string): string {
  const useDouble = name.includes("'") && !name.includes('"');
  const delimiter = useDouble ? '"' : "'";
  let body = '';
  for (const ch of name) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') body += '\\\\';
    else if (ch === delimiter) body += `\\${ch}`;
    else if (ch === '\n') body += '\\n';
    else if (ch === '\r') body += '\\r';
    else if (ch === '\t') body += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) body += `\\x${code.toString(16).padStart(2, '0')}`;
    else body += ch;
  }
  return `${delimiter}${body}${delimiter}`;
}

/**
 * A command for a hint, to be pasted as it is: `glacier WORDS OPERANDS`, with `--` before
 * the first operand that begins with '-' (upload and archive ids may), so that it is not
 * taken for an option.
 */
export function commandHint(words: string, ...operands: string[]): string {
  const dashed = operands.findIndex((operand) => operand.startsWith('-'));
  const line = dashed < 0 ? operands : [...operands.slice(0, dashed), '--', ...operands.slice(dashed)];
  return ['glacier', words, ...line].join(' ');
}
