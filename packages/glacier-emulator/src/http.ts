// Response helpers shared by the Glacier routes and the admin endpoint.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { GlacierError, invalidParameter } from './errors.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { ...headers, 'Content-Length': 0 });
  res.end();
}

export function sendError(res: ServerResponse, error: GlacierError): void {
  sendJson(res, error.status, { code: error.code, message: error.message, type: error.type });
}

const SMALL_BODY_LIMIT = 1 << 20;

/** Reads a body meant to be small (JSON parameters); larger ones are refused. */
export async function readSmallBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    length += buffer.length;
    if (length > SMALL_BODY_LIMIT) throw invalidParameter('Request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new GlacierError(400, 'SerializationException', 'The request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GlacierError(400, 'SerializationException', 'The request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

export function headerText(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
