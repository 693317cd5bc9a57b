// Kept-alive HttpConnections per origin, as an http.Agent keeps sockets: a connection goes
// back to the pool once its response has been read whole, and is taken again only if the
// server has not closed it meanwhile.
import { HttpConnection, type Origin, type Timeouts } from './httpConnection.js';

export interface PooledConnection {
  connection: HttpConnection;
  /** Whether it served an earlier request: the server may have closed it since, unseen yet. */
  reused: boolean;
}

const key = (origin: Origin): string => `${origin.protocol}//${origin.hostname}:${origin.port}`;

export class ConnectionPool {
  readonly #idle = new Map<string, HttpConnection[]>();
  readonly #timeouts: Timeouts;

  constructor(timeouts: Timeouts) {
    this.#timeouts = timeouts;
  }

  /** An idle connection to `origin`, or a new one when there is none or `fresh` is asked for. */
  async acquire(origin: Origin, fresh = false): Promise<PooledConnection> {
    const idle = this.#idle.get(key(origin)) ?? [];
    for (let connection = idle.pop(); !fresh && connection !== undefined; connection = idle.pop()) {
      if (!connection.reusable) continue;
      connection.referenced = true;
      return { connection, reused: true };
    }
    return { connection: await HttpConnection.open(origin, this.#timeouts), reused: false };
  }

  release(origin: Origin, connection: HttpConnection): void {
    if (!connection.reusable) {
      connection.destroy();
      return;
    }
    connection.referenced = false;
    const idle = this.#idle.get(key(origin)) ?? [];
    idle.push(connection);
    this.#idle.set(key(origin), idle);
  }

  destroy(): void {
    for (const idle of this.#idle.values()) for (const connection of idle) connection.destroy();
    this.#idle.clear();
  }
}
