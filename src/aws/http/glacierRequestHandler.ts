// The SDK's HTTP handler for Glacier (its requestHandler option). GetJobOutput, which
// carries nearly every byte of a retrieval, goes over an HttpConnection and answers with a
// SocketBody that can be read straight into a segment buffer; every other request goes
// through the SDK's own NodeHttpHandler. The SDK still builds, signs and parses every
// request and answer: only the bytes on the wire of one operation take another road.
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Readable } from 'node:stream';
import { ConnectionPool } from './connectionPool.js';
import type { HttpConnection, Origin, Timeouts } from './httpConnection.js';
import { contentLength, ProtocolError, type ResponseHead } from './responseHead.js';
import { SocketBody } from './socketBody.js';

type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];
type HandlerOptions = Parameters<NodeHttpHandler['handle']>[1];
type HandlerOutput = Awaited<ReturnType<NodeHttpHandler['handle']>>;

/** Error answers are small JSON documents; anything longer is not read. */
const ERROR_BODY_LIMIT = 1024 * 1024;

/** GET /AccountId/vaults/VaultName/jobs/JobID/output (api-job-output-get.md). */
function isJobOutputRequest(request: HttpRequest): boolean {
  return (
    request.method === 'GET' &&
    /^\/[^/]+\/vaults\/[^/]+\/jobs\/[^/]+\/output$/.test(request.path) &&
    request.body === undefined &&
    Object.keys(request.query ?? {}).length === 0 &&
    request.fragment === undefined &&
    request.username === undefined
  );
}

function originOf(request: HttpRequest): Origin {
  const protocol = request.protocol === 'http:' ? 'http:' : 'https:';
  return { protocol, hostname: request.hostname, port: request.port ?? (protocol === 'https:' ? 443 : 80) };
}

function requestHead(request: HttpRequest, origin: Origin): string {
  const lines = [`${request.method} ${request.path} HTTP/1.1`];
  const names = Object.keys(request.headers).map((name) => name.toLowerCase());
  for (const [name, value] of Object.entries(request.headers)) {
    if (/[\r\n]/.test(name + value)) throw new ProtocolError(`header ${name} holds a line break`);
    lines.push(`${name}: ${value}`);
  }
  if (!names.includes('host')) lines.push(`host: ${origin.hostname}:${origin.port}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export class GlacierRequestHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  readonly #general: NodeHttpHandler;
  readonly #pool: ConnectionPool;

  constructor(general: NodeHttpHandler, timeouts: Timeouts) {
    this.#general = general;
    this.#pool = new ConnectionPool(timeouts);
  }

  async handle(request: HttpRequest, options?: HandlerOptions): Promise<HandlerOutput> {
    if (!isJobOutputRequest(request) || options?.abortSignal !== undefined) return this.#general.handle(request, options);
    return { response: await this.#jobOutput(request) };
  }

  updateHttpClientConfig(...change: Parameters<NodeHttpHandler['updateHttpClientConfig']>): void {
    this.#general.updateHttpClientConfig(...change);
  }

  httpHandlerConfigs(): ReturnType<NodeHttpHandler['httpHandlerConfigs']> {
    return this.#general.httpHandlerConfigs();
  }

  destroy(): void {
    this.#general.destroy();
    this.#pool.destroy();
  }

  async #jobOutput(request: HttpRequest): Promise<HandlerOutput['response']> {
    const origin = originOf(request);
    const head = requestHead(request, origin);
    for (let fresh = false; ; fresh = true) {
      const { connection, reused } = await this.#pool.acquire(origin, fresh);
      try {
        return await this.#answer(origin, connection, await connection.request(head));
      } catch (failure) {
        connection.destroy();
        // A kept-alive connection that the server closed while it sat idle fails before
        // the first byte of an answer: the request never reached the server; send it again.
        if (reused && !connection.answered && !fresh) continue;
        throw failure;
      }
    }
  }

  async #answer(origin: Origin, connection: HttpConnection, head: ResponseHead): Promise<HandlerOutput['response']> {
    const length = contentLength(head);
    const release = (): void => this.#pool.release(origin, connection);
    let body: Readable;
    if (head.statusCode >= 200 && head.statusCode < 300) {
      if (length === undefined) throw new ProtocolError(`GetJobOutput answered ${head.statusCode} without a Content-Length`);
      body = new SocketBody(connection, length, release);
    } else if (length !== undefined && length <= ERROR_BODY_LIMIT) {
      const bytes = Buffer.alloc(length);
      await connection.fill(bytes);
      release();
      body = Readable.from([bytes]);
    } else {
      connection.destroy();
      body = Readable.from([]);
    }
    return { statusCode: head.statusCode, reason: head.reason, headers: head.headers, body };
  }
}
