// How names and commands appear inside messages: quoted the way the old tool's messages
// quoted them, and hints that can be pasted as they are.

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
