// proxy-from-env ships no type declarations.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` by HTTP(S)_PROXY / NO_PROXY, or '' for none. */
  export function getProxyForUrl(url: string | URL): string;
}
