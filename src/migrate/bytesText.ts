import { formatByteSize } from '../byteSize.js';

/** `512 bytes`, `3.5 MiB`, `2 GiB`: sizes in messages. */
export function bytesText(bytes: number): string {
  const short = formatByteSize(Math.round(bytes));
  return /\d$/.test(short) ? `${short} bytes` : `${short.slice(0, -1)} ${short.slice(-1)}iB`;
}
