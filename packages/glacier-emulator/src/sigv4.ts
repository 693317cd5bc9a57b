// Verification of AWS Signature Version 4 as @smithy/signature-v4 produces it for
// Glacier: service "glacier", the region taken from the credential scope, the payload
// hash taken from x-amz-content-sha256 when the request carries it.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { GlacierError } from './errors.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export const DEFAULT_CREDENTIALS: Credentials = {
  accessKeyId: 'AKIAEMULATOR',
  secretAccessKey: 'emulator-secret-key',
};

export interface SignedRequest {
  method: string;
  /** The path exactly as sent, still percent-encoded. */
  rawPath: string;
  /** The query string exactly as sent, without '?'. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  /** Hex SHA-256 of the body, when the caller has it; else x-amz-content-sha256 is used. */
  bodySha256?: string | undefined;
}

const AUTH_PATTERN = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

function invalidSignature(message: string): GlacierError {
  return new GlacierError(403, 'InvalidSignatureException', message);
}

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Checks the Authorization header; returns the region of the credential scope. */
export function verifySignature(request: SignedRequest, credentials: Credentials): string {
  const authorization = headerValue(request.headers, 'authorization');
  if (authorization === undefined) {
    throw invalidSignature('Request is missing Authentication Token');
  }
  const match = AUTH_PATTERN.exec(authorization.trim());
  if (match === null) throw invalidSignature(`Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters: ${authorization}`);
  const [, accessKeyId, shortDate, region, service, signedHeaderList, signature] = match as unknown as string[];
  if (accessKeyId !== credentials.accessKeyId) {
    throw new GlacierError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  if (service !== 'glacier') throw invalidSignature(`Credential should be scoped to correct service: 'glacier'.`);

  const longDate = headerValue(request.headers, 'x-amz-date') ?? headerValue(request.headers, 'date');
  if (longDate === undefined || !/^\d{8}T\d{6}Z$/.test(longDate)) {
    throw invalidSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (!longDate.startsWith(shortDate!)) {
    throw invalidSignature(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${shortDate}' != '${longDate.slice(0, 8)}'`);
  }

  const signedHeaders = signedHeaderList!.split(';');
  if (!signedHeaders.includes('host')) throw invalidSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const canonicalHeaders = signedHeaders.map((name) => {
    const value = headerValue(request.headers, name) ?? '';
    return `${name}:${value
      .replace(/[\r\n]/g, ' ')
      .replace(/[ \t]+/g, ' ')
      .replace(/^ | $/g, '')}\n`;
  });
  const payloadHash = headerValue(request.headers, 'x-amz-content-sha256') ?? request.bodySha256 ?? sha256Hex('');

  const canonicalRequest = [request.method, canonicalPath(request.rawPath), canonicalQuery(request.rawQuery), canonicalHeaders.join(''), signedHeaderList, payloadHash].join('\n');
  const scope = `${shortDate}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', longDate, scope, sha256Hex(canonicalRequest)].join('\n');

  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, shortDate!);
  for (const part of [region!, service, 'aws4_request']) key = hmac(key, part);
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(signature!, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidSignature(MISMATCH);
  checkRequestTime(longDate, Date.now());
  return region!;
}

const MAX_SKEW_MS = 5 * 60 * 1000;

/** 20130524T001500Z: the basic ISO 8601 form of X-Amz-Date. */
function basicDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * A signed request is valid for 5 minutes either side of its date, by the real clock
 * (the virtual clock moves jobs, not signatures), with Glacier's wording.
 */
export function checkRequestTime(longDate: string, nowMs: number): void {
  const iso = `${longDate.slice(0, 4)}-${longDate.slice(4, 6)}-${longDate.slice(6, 11)}:${longDate.slice(11, 13)}:${longDate.slice(13)}`;
  const signedAt = Date.parse(iso);
  const now = basicDate(nowMs);
  if (Number.isNaN(signedAt)) throw invalidSignature(`Invalid X-Amz-Date: ${longDate}`);
  if (signedAt < nowMs - MAX_SKEW_MS) {
    throw invalidSignature(`Signature expired: ${longDate} is now earlier than ${basicDate(nowMs - MAX_SKEW_MS)} (${now} - 5 min.)`);
  }
  if (signedAt > nowMs + MAX_SKEW_MS) {
    throw invalidSignature(`Signature not yet current: ${longDate} is still later than ${basicDate(nowMs + MAX_SKEW_MS)} (${now} + 5 min.)`);
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data).digest('hex');
}

function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The path as the signer saw it (already encoded), normalized and encoded once more. */
function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join('/')}${segments.length > 0 && rawPath.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs: string[] = [];
  for (const item of rawQuery.split('&')) {
    if (item === '') continue;
    const equals = item.indexOf('=');
    const key = safeDecode(equals < 0 ? item : item.slice(0, equals));
    const value = equals < 0 ? '' : safeDecode(item.slice(equals + 1));
    if (key.toLowerCase() === 'x-amz-signature') continue;
    pairs.push(`${escapeUri(key)}=${escapeUri(value)}`);
  }
  return pairs.sort().join('&');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
