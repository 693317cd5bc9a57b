// The SDK's HTTP handler (its requestHandler option) of the Glacier and S3 clients. For
// Glacier, GetJobOutput, which carries nearly every byte of a retrieval, goes over an
// HttpConnection and answers with a SocketBody that can be read straight into a segment
// buffer; every other request goes through the SDK's own NodeHttpHandler. The SDK still
// builds, signs and parses every request and answer: only the bytes on the wire of one
// operation take another road.
// Both roads take the same route: the proxy from the environment, the extra CA bundle.
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { Agent } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import { Readable } from 'node:stream';
import type { SecureContext } from 'node:tls';
import { ConnectionPool } from './connectionPool.js';
import { debugEnabled, exchangeLine } from './exchangeLog.js';
import type { HttpConnection, Timeouts } from './httpConnection.js';
import { asNetworkFailure, nameNetworkFailure } from './networkFailure.js';
import { contentLength, ProtocolError, type ResponseHead } from './responseHead.js';
import { proxyFor, proxyLabel, type Origin, type Route } from './route.js';
import { SocketBody } from './socketBody.js';

type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];
type HandlerOptions = Parameters<NodeHttpHandler['handle']>[1];
type HandlerOutput = Awaited<ReturnType<NodeHttpHandler['handle']>>;

/** Error answers are small JSON documents; anything longer is not read. */
const ERROR_BODY_LIMIT = 1024 * 1024;
const MAX_SOCKETS = 64;

export interface HandlerSettings {
  timeouts: Timeouts;
  /** Trusted CAs beyond Node's (AWS_CA_BUNDLE, ca_bundle), if any. */
  secureContext: SecureContext | undefined;
  /** Where --debug lines go. */
  debug: (line: string) => void;
  /** Whether GetJobOutput takes its own connections (Glacier); off for other services' clients. */
  jobOutputConnections: boolean;
}

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

function bodyBytes(request: HttpRequest): number {
  const body: unknown = request.body;
  if (typeof body === 'string') return Buffer.byteLength(body);
  return body instanceof Uint8Array ? body.length : 0;
}

export class AwsRequestHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  readonly #settings: HandlerSettings;
  /** The SDK's handler per proxy ('' for direct), each with its own kept-alive sockets. */
  readonly #general = new Map<string, NodeHttpHandler>();
  readonly #pool: ConnectionPool;
  #answered = false;

  constructor(settings: HandlerSettings) {
    this.#settings = settings;
    this.#pool = new ConnectionPool(settings.timeouts);
  }

  /** Whether any answer (of any status) came back in this process: the endpoint is reachable. */
  get answered(): boolean {
    return this.#answered;
  }

  async handle(request: HttpRequest, options?: HandlerOptions): Promise<HandlerOutput> {
    const origin = originOf(request);
    const route: Route = { proxy: proxyFor(origin), secureContext: this.#settings.secureContext };
    const startedAt = performance.now();
    const log = debugEnabled()
      ? (outcome: number | string, received: number | undefined): void =>
          this.#settings.debug(exchangeLine({ method: request.method, path: request.path, outcome, sent: bodyBytes(request), received, startedAt, proxy: proxyLabel(route.proxy) }))
      : undefined;
    try {
      const output =
        this.#settings.jobOutputConnections && isJobOutputRequest(request)
          ? { response: await this.#jobOutput(request, origin, route) }
          : await this.#generalFor(route).handle(request, options);
      this.#answered = true;
      const length = output.response.headers['content-length'] ?? output.response.headers['Content-Length'];
      log?.(output.response.statusCode, length === undefined ? undefined : Number(length));
      return output;
    } catch (failure) {
      log?.(nameNetworkFailure(failure, { origin, proxy: route.proxy })?.text ?? (failure as Error).message, undefined);
      throw asNetworkFailure(failure, { origin, proxy: route.proxy });
    }
  }

  updateHttpClientConfig(...change: Parameters<NodeHttpHandler['updateHttpClientConfig']>): void {
    for (const general of this.#general.values()) general.updateHttpClientConfig(...change);
  }

  httpHandlerConfigs(): ReturnType<NodeHttpHandler['httpHandlerConfigs']> {
    return this.#generalFor({ proxy: undefined, secureContext: this.#settings.secureContext }).httpHandlerConfigs();
  }

  destroy(): void {
    for (const general of this.#general.values()) general.destroy();
    this.#pool.destroy();
  }

  #generalFor(route: Route): NodeHttpHandler {
    const key = route.proxy?.href ?? '';
    let general = this.#general.get(key);
    if (general === undefined) {
      const { timeouts } = this.#settings;
      const common: AgentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS };
      const secure: AgentOptions = route.secureContext === undefined ? common : { ...common, secureContext: route.secureContext };
      const proxy = route.proxy;
      general = new NodeHttpHandler({
        connectionTimeout: timeouts.connectMs,
        // Idle socket: a part upload or an answer that stalls this long is retried.
        socketTimeout: timeouts.idleMs,
        httpAgent: proxy === undefined ? new Agent(common) : new HttpProxyAgent({ ...common, proxy }),
        httpsAgent: proxy === undefined ? new HttpsAgent(secure) : new HttpsProxyAgent({ ...secure, proxy }),
      });
      this.#general.set(key, general);
    }
    return general;
  }

  async #jobOutput(request: HttpRequest, origin: Origin, route: Route): Promise<HandlerOutput['response']> {
    const head = requestHead(request, origin);
    for (let fresh = false; ; fresh = true) {
      const { connection, reused } = await this.#pool.acquire(origin, route, fresh);
      try {
        return await this.#answer(origin, route, connection, await connection.request(head));
      } catch (failure) {
        connection.destroy();
        // A kept-alive connection that the server closed while it sat idle fails before
        // the first byte of an answer: the request never reached the server; send it again.
        if (reused && !connection.answered && !fresh) continue;
        throw failure;
      }
    }
  }

  async #answer(origin: Origin, route: Route, connection: HttpConnection, head: ResponseHead): Promise<HandlerOutput['response']> {
    const length = contentLength(head);
    const release = (): void => this.#pool.release(origin, route, connection);
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
