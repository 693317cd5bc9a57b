// Network failures named the way a user knows them: "connection refused by HOST:PORT",
// "DNS lookup failed for HOST", "connection reset", "timed out after 120 s without a byte",
// an untrusted certificate with what to set. The kind decides the retries (retry.ts).
import { ProtocolError } from './responseHead.js';
import { proxyLabel, type Origin } from './route.js';
import { ProxyRefusal } from './tunnel.js';

/**
 * unreachable: no connection could be made (refused, DNS, no route, connect timeout);
 * dropped: a connection failed part-way (reset, closed, silent);
 * untrusted: the certificate was refused; refused-by-proxy: the proxy said no (407, 403).
 */
export type FailureKind = 'unreachable' | 'dropped' | 'untrusted' | 'refused-by-proxy';

export class NetworkFailure extends Error {
  override readonly name = 'NetworkFailure';
  constructor(
    message: string,
    readonly code: string,
    readonly kind: FailureKind,
    /** Where the request went, as "http(s)://HOST:PORT", with " through the proxy P" when it did. */
    readonly endpoint: string,
  ) {
    super(message);
  }
}

export interface Where {
  origin: Origin;
  proxy: URL | undefined;
}

const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Proxy answers that say no to us, not that the endpoint is down: 401/407 credentials, 403 policy. */
const REFUSALS = new Set([401, 403, 407]);

export const refusalHint = (status: number): string => (status === 403 ? '' : ' (check the user and password in the proxy URL)');

const DROPPED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);
const NO_ROUTE_CODES = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);

interface Named {
  kind: FailureKind;
  text: string;
}

/** What went wrong, if `error` is a network failure; `where` names the host in the text. */
export function nameNetworkFailure(error: unknown, where?: Where): Named | undefined {
  if (error instanceof NetworkFailure) return { kind: error.kind, text: error.message };
  if (!(error instanceof Error) || error instanceof ProtocolError) return undefined;
  if ('$metadata' in error) return undefined;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const host = where === undefined ? 'the endpoint' : `${where.origin.hostname}:${where.origin.port}`;
  const proxy = where?.proxy === undefined ? undefined : `the proxy ${proxyLabel(where.proxy)}`;
  if (error instanceof ProxyRefusal) {
    if (REFUSALS.has(error.statusCode)) return { kind: 'refused-by-proxy', text: `${error.message}${refusalHint(error.statusCode)}` };
    return { kind: 'unreachable', text: `${error.message} (it could not reach ${host})` };
  }
  const badProxyAnswer = /^Bad response: (\d{3})/.exec(error.message);
  if (badProxyAnswer !== null) {
    const status = Number(badProxyAnswer[1]);
    if (REFUSALS.has(status)) return { kind: 'refused-by-proxy', text: `${proxy ?? 'the proxy'} refused the tunnel: HTTP ${status}${refusalHint(status)}` };
    return { kind: 'unreachable', text: `${proxy ?? 'the proxy'} could not reach ${host} (HTTP ${status})` };
  }
  if (CERTIFICATE_CODES.has(code)) {
    const hostname = where?.origin.hostname ?? 'the endpoint';
    return {
      kind: 'untrusted',
      text: `the TLS certificate of ${hostname} is not trusted (${error.message}); if a private CA signed it, set AWS_CA_BUNDLE (or ca_bundle in the profile) to that CA's PEM file`,
    };
  }
  if (code === 'ECONNREFUSED') return { kind: 'unreachable', text: `connection refused by ${proxy ?? host}` };
  if (DNS_CODES.has(code)) {
    const hostname = (error as { hostname?: string }).hostname ?? where?.origin.hostname ?? 'the endpoint';
    return { kind: 'unreachable', text: `DNS lookup failed for ${hostname}` };
  }
  if (NO_ROUTE_CODES.has(code)) return { kind: 'unreachable', text: `no route to ${proxy ?? host}` };
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) return { kind: 'unreachable', text: `TLS handshake with ${host} failed: ${error.message}` };
  if (error.name === 'TimeoutError' || code === 'ETIMEDOUT') {
    const connecting = /establish a connection|could not connect|did not open a tunnel/.exec(error.message) !== null;
    const inactivity = /after (\d+) ms of inactivity/.exec(error.message);
    if (connecting) return { kind: 'unreachable', text: /did not open a tunnel/.test(error.message) ? error.message : `could not connect to ${proxy ?? host} in time` };
    if (inactivity !== null) return { kind: 'dropped', text: `timed out after ${Number(inactivity[1]) / 1000} s without a byte` };
    return { kind: 'dropped', text: /^timed out/.test(error.message) ? error.message : `timed out (${error.message})` };
  }
  if (DROPPED_CODES.has(code) || /socket hang up|aborted/i.test(error.message)) {
    const plain = /^(read |write )?(ECONNRESET|EPIPE)$|socket hang up|^aborted$|the connection closed/.test(error.message);
    return { kind: 'dropped', text: /server closed/.test(error.message) ? 'connection closed by the server' : plain ? 'connection reset' : `connection reset (${error.message})` };
  }
  return undefined;
}

/** `error` as a NetworkFailure that names where it happened, or unchanged when it is no network failure. */
export function asNetworkFailure(error: unknown, where: Where): unknown {
  const named = nameNetworkFailure(error, where);
  if (named === undefined || error instanceof NetworkFailure) return error;
  const endpoint = `${where.origin.protocol}//${where.origin.hostname}:${where.origin.port}${where.proxy === undefined ? '' : ` through the proxy ${proxyLabel(where.proxy)}`}`;
  return new NetworkFailure(named.text, (error as NodeJS.ErrnoException).code ?? 'ENETWORK', named.kind, endpoint);
}
