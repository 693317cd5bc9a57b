// The head of an HTTP/1.1 response (RFC 9112 section 4-5): status line and header fields,
// up to the blank line that ends them. Header names are lower-cased, repeated fields joined
// with ", " as Node's http module does for most of them.

export interface ResponseHead {
  statusCode: number;
  reason: string;
  headers: Record<string, string>;
  /** Bytes of the head, blank line included: the body starts after them. */
  length: number;
}

export class ProtocolError extends Error {
  readonly code = 'EPROTO';
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** The head at the start of `bytes`, or undefined while its blank line has not arrived. */
export function parseResponseHead(bytes: Buffer): ResponseHead | undefined {
  const end = bytes.indexOf(HEAD_END);
  if (end < 0) return undefined;
  const [statusLine = '', ...fields] = bytes.toString('latin1', 0, end).split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
  if (status === null) throw new ProtocolError(`not an HTTP/1.1 status line: ${JSON.stringify(statusLine.slice(0, 80))}`);
  const headers: Record<string, string> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon <= 0) throw new ProtocolError(`malformed header field: ${JSON.stringify(field.slice(0, 80))}`);
    const name = field.slice(0, colon).trim().toLowerCase();
    const value = field.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { statusCode: Number(status[1]), reason: status[2] ?? '', headers, length: end + HEAD_END.length };
}

/** The body's length from Content-Length; undefined when the response has none. */
export function contentLength(head: ResponseHead): number | undefined {
  if (head.headers['transfer-encoding'] !== undefined) throw new ProtocolError(`unsupported Transfer-Encoding: ${head.headers['transfer-encoding']}`);
  const text = head.headers['content-length'];
  if (text === undefined) return undefined;
  if (!/^\d{1,15}$/.test(text)) throw new ProtocolError(`bad Content-Length: ${JSON.stringify(text)}`);
  return Number(text);
}
