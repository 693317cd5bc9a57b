// How a connection reaches an origin: through the proxy that HTTPS_PROXY / HTTP_PROXY name
// for it unless NO_PROXY exempts it (the rules curl and the AWS CLI follow, applied by
// proxy-from-env), and trusting Node's certificate authorities plus the PEM file of
// AWS_CA_BUNDLE or the profile's ca_bundle.
import { readFileSync } from 'node:fs';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { getProxyForUrl } from 'proxy-from-env';
import { profileSetting } from '../sharedConfig.js';
import { FailureError } from '../../errors.js';

export interface Origin {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number;
}

export interface Route {
  /** The proxy to tunnel through (HTTP CONNECT); undefined for a direct connection. */
  proxy: URL | undefined;
  /** Node's trusted roots and the extra bundle; undefined when no bundle is set. */
  secureContext: SecureContext | undefined;
}

export const originText = (origin: Origin): string => `${origin.protocol}//${origin.hostname}:${origin.port}`;

export function proxyFor(origin: Origin): URL | undefined {
  const text = getProxyForUrl(originText(origin));
  if (text === '') return undefined;
  let proxy: URL;
  try {
    proxy = new URL(text.includes('://') ? text : `http://${text}`);
  } catch {
    throw new FailureError(`the proxy for ${originText(origin)} is not a URL: set HTTPS_PROXY / HTTP_PROXY to http://[USER:PASSWORD@]HOST:PORT`);
  }
  if (proxy.protocol !== 'http:') throw new FailureError(`only http:// proxies are supported, not ${proxy.protocol}//${proxy.host}`);
  return proxy;
}

/** The proxy as messages show it: never its user or password. */
export function proxyLabel(proxy: URL | undefined): string {
  return proxy === undefined ? 'direct' : `${proxy.protocol}//${proxy.host}`;
}

/** The Proxy-Authorization header value for the credentials in the proxy URL, if any (Basic, RFC 7617). */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === '' && proxy.password === '') return undefined;
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

export interface CaBundle {
  path: string;
  /** Where the path was set, for messages. */
  source: string;
}

/** The extra CA bundle: AWS_CA_BUNDLE, else the profile's ca_bundle. */
export function caBundle(profile: string | undefined): CaBundle | undefined {
  const fromEnv = process.env.AWS_CA_BUNDLE;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { path: fromEnv.trim(), source: 'AWS_CA_BUNDLE' };
  const name = profile ?? process.env.AWS_PROFILE ?? 'default';
  const fromProfile = profileSetting(name, 'ca_bundle');
  return fromProfile === undefined ? undefined : { path: fromProfile, source: `ca_bundle of profile ${name}` };
}

/**
 * A TLS context trusting the bundle besides Node's roots, as the AWS CLI adds it rather than
 * replacing them. A `ca` option replaces Node's store, NODE_EXTRA_CA_CERTS included, so both
 * are named again here.
 */
export function secureContextWith(bundle: CaBundle): SecureContext {
  const pems = [readPem(bundle.path, bundle.source)];
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (extra !== undefined && extra !== '') pems.push(readPem(extra, 'NODE_EXTRA_CA_CERTS'));
  try {
    return createSecureContext({ ca: [...rootCertificates, ...pems] });
  } catch (failure) {
    throw new FailureError(`${bundle.source} ${bundle.path} holds no usable PEM certificates: ${(failure as Error).message}`);
  }
}

function readPem(path: string, source: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch (failure) {
    throw new FailureError(`cannot read the certificate bundle ${path} (${source}): ${(failure as NodeJS.ErrnoException).code ?? (failure as Error).message}`);
  }
}
