// Kept-alive HttpConnections per origin and route, as an http.Agent keeps sockets: a
// connection goes back to the pool once its response has been read whole, and is taken
// again only if the server has not closed it meanwhile.
import { HttpConnection, type Timeouts } from './httpConnection.js';
import { originText, proxyLabel, type Origin, type Route } from './route.js';

export interface PooledConnection {
  connection: HttpConnection;
  /** Whether it served an earlier request: the server may have closed it since, unseen yet. */
  reused: boolean;
}

const key = (origin: Origin, route: Route): string => `${originText(origin)} ${proxyLabel(route.proxy)}`;

export class ConnectionPool {
  readonly #idle = new Map<string, HttpConnection[]>();
  readonly #timeouts: Timeouts;

  constructor(timeouts: Timeouts) {
    this.#timeouts = timeouts;
  }

  /** An idle connection to `origin` by `route`, or a new one when there is none or `fresh` is asked for. */
  async acquire(origin: Origin, route: Route, fresh = false): Promise<PooledConnection> {
    const idle = this.#idle.get(key(origin, route)) ?? [];
    for (let connection = idle.pop(); !fresh && connection !== undefined; connection = idle.pop()) {
      if (!connection.reusable) continue;
      connection.referenced = true;
      return { connection, reused: true };
    }
    return { connection: await HttpConnection.open(origin, this.#timeouts, route), reused: false };
  }

  release(origin: Origin, route: Route, connection: HttpConnection): void {
    if (!connection.reusable) {
      connection.destroy();
      return;
    }
    connection.referenced = false;
    const idle = this.#idle.get(key(origin, route)) ?? [];
    idle.push(connection);
    this.#idle.set(key(origin, route), idle);
  }

  destroy(): void {
    for (const idle of this.#idle.values()) for (const connection of idle) connection.destroy();
    this.#idle.clear();
  }
}
