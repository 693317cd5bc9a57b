// Names come from anywhere: another tool's upload, a misbehaving server, an inventory. A
// listing prints one line per entry whatever a name holds, and never a byte a terminal
// would obey: a name with control characters (C0, DEL, C1) is printed escaped, as Python's
// repr() escapes a str (\n, \t, \r, \xNN, and \\ for a backslash). Names without any are
// printed exactly as they are, so the usual names read as before.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function printable(text: string): string {
  if (!CONTROL.test(text)) return text;
  let escaped = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') escaped += '\\\\';
    else if (ch === '\n') escaped += '\\n';
    else if (ch === '\r') escaped += '\\r';
    else if (ch === '\t') escaped += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) escaped += `\\x${code.toString(16).padStart(2, '0')}`;
    else escaped += ch;
  }
  return escaped;
}

/** JSON.stringify, with DEL and the C1 controls (which it leaves raw) escaped as well. */
export function printableJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f]/g, (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}
