// A tunnel through an HTTP proxy (CONNECT, RFC 9110 section 9.3.6): a TCP connection to the
// proxy that, once the proxy answers 200, carries bytes to and from the origin unchanged.
// TLS to the origin then runs inside it, so the proxy sees only the host and port.
import { connect, type Socket } from 'node:net';
import { parseResponseHead } from './responseHead.js';
import { proxyAuthorization, proxyLabel, type Origin } from './route.js';

const HEAD_LIMIT = 16 * 1024;

/** The proxy answered CONNECT with something other than 200. */
export class ProxyRefusal extends Error {
  readonly code = 'EPROXYREFUSED';
  constructor(
    readonly proxy: string,
    readonly statusCode: number,
    reason: string,
  ) {
    super(`the proxy ${proxy} refused the tunnel: HTTP ${statusCode} ${reason}`.trim());
  }
}

export function openTunnel(proxy: URL, origin: Origin, connectMs: number): Promise<Socket> {
  const target = `${origin.hostname.includes(':') && !origin.hostname.startsWith('[') ? `[${origin.hostname}]` : origin.hostname}:${origin.port}`;
  const lines = [`CONNECT ${target} HTTP/1.1`, `host: ${target}`];
  const authorization = proxyAuthorization(proxy);
  if (authorization !== undefined) lines.push(`proxy-authorization: ${authorization}`);
  const socket = connect({ host: proxy.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(proxy.port || 80) });
  socket.setNoDelay(true);
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const timer = setTimeout(
      () => fail(Object.assign(new Error(`the proxy ${proxyLabel(proxy)} did not open a tunnel within ${connectMs / 1000} s`), { code: 'ETIMEDOUT', name: 'TimeoutError' })),
      connectMs,
    );
    const settle = (): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', fail);
      socket.off('close', onClose);
    };
    const fail = (failure: Error): void => {
      settle();
      socket.destroy();
      reject(failure);
    };
    const onClose = (): void => fail(Object.assign(new Error(`the proxy ${proxyLabel(proxy)} closed the connection`), { code: 'ECONNRESET' }));
    const onData = (bytes: Buffer): void => {
      head = Buffer.concat([head, bytes]);
      let answer;
      try {
        answer = parseResponseHead(head);
      } catch (failure) {
        fail(failure as Error);
        return;
      }
      if (answer === undefined) {
        if (head.length > HEAD_LIMIT) fail(new Error(`the proxy ${proxyLabel(proxy)} sent an answer head longer than ${HEAD_LIMIT} bytes`));
        return;
      }
      if (answer.statusCode !== 200) {
        fail(new ProxyRefusal(proxyLabel(proxy), answer.statusCode, answer.reason));
        return;
      }
      if (head.length > answer.length) {
        fail(new Error(`the proxy ${proxyLabel(proxy)} sent bytes before the tunnel was used`));
        return;
      }
      settle();
      socket.pause();
      resolve(socket);
    };
    socket.on('data', onData);
    socket.on('error', fail);
    socket.on('close', onClose);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  });
}
