// ConnectionPool (src/aws/http): kept-alive HttpConnections per origin and route, against
// a TCP server written here that answers every request with a two-byte body.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ConnectionPool } from '../src/aws/http/connectionPool.js';
import type { HttpConnection } from '../src/aws/http/httpConnection.js';
import type { Origin, Route } from '../src/aws/http/route.js';

const DIRECT: Route = { proxy: undefined, secureContext: undefined };
const TIMEOUTS = { connectMs: 2000, idleMs: 2000 };

describe('ConnectionPool', () => {
  let accepted = 0;
  let closeAfterAnswer = false;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', () => {
      const connection = closeAfterAnswer ? 'Connection: close\r\n' : '';
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 2\r\n${connection}\r\nok`);
    });
  });
  let origin: Origin;
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = { protocol: 'http:', hostname: '127.0.0.1', port: (server.address() as AddressInfo).port };
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  /** One request on `connection`, its body read whole. */
  async function exchange(connection: HttpConnection): Promise<string> {
    const head = await connection.request(`GET / HTTP/1.1\r\nhost: ${origin.hostname}\r\n\r\n`);
    assert.equal(head.statusCode, 200);
    const body = Buffer.alloc(2);
    await connection.fill(body);
    return body.toString();
  }

  test('a connection released after its answer is taken again; `fresh` opens a new one', async () => {
    const pool = new ConnectionPool(TIMEOUTS);
    const before = accepted;
    const first = await pool.acquire(origin, DIRECT);
    assert.equal(first.reused, false);
    assert.equal(await exchange(first.connection), 'ok');
    pool.release(origin, DIRECT, first.connection);
    const second = await pool.acquire(origin, DIRECT);
    assert.equal(second.reused, true);
    assert.equal(second.connection, first.connection);
    assert.equal(await exchange(second.connection), 'ok');
    const fresh = await pool.acquire(origin, DIRECT, true);
    assert.equal(fresh.reused, false);
    assert.notEqual(fresh.connection, first.connection);
    assert.equal(accepted - before, 2);
    for (const connection of [second.connection, fresh.connection]) pool.release(origin, DIRECT, connection);
    pool.destroy();
  });

  test('a connection the server closed while idle is not taken again', async () => {
    const pool = new ConnectionPool(TIMEOUTS);
    const first = await pool.acquire(origin, DIRECT);
    await exchange(first.connection);
    pool.release(origin, DIRECT, first.connection);
    const closed = new Promise((resolve) => [...sockets].at(-1)?.once('close', resolve));
    for (const socket of sockets) socket.end();
    await closed;
    await new Promise((resolve) => setImmediate(resolve));
    const next = await pool.acquire(origin, DIRECT);
    assert.equal(next.reused, false);
    pool.release(origin, DIRECT, next.connection);
    pool.destroy();
  });

  test('an answer that closes its connection, or one released mid-answer, is not pooled', async () => {
    const pool = new ConnectionPool(TIMEOUTS);
    closeAfterAnswer = true;
    try {
      const closing = await pool.acquire(origin, DIRECT);
      await exchange(closing.connection);
      pool.release(origin, DIRECT, closing.connection);
      assert.equal((await pool.acquire(origin, DIRECT)).reused, false);
    } finally {
      closeAfterAnswer = false;
    }
    const busy = await pool.acquire(origin, DIRECT);
    await busy.connection.request(`GET / HTTP/1.1\r\nhost: ${origin.hostname}\r\n\r\n`);
    pool.release(origin, DIRECT, busy.connection);
    assert.equal((await pool.acquire(origin, DIRECT)).reused, false, 'its body was never read');
    pool.destroy();
  });

  test('origins and routes do not share connections', async () => {
    const pool = new ConnectionPool(TIMEOUTS);
    const first = await pool.acquire(origin, DIRECT);
    await exchange(first.connection);
    pool.release(origin, DIRECT, first.connection);
    const otherRoute: Route = { proxy: new URL(`http://127.0.0.1:${origin.port}`), secureContext: undefined };
    const byName = { ...origin, hostname: 'localhost' };
    assert.equal((await pool.acquire(byName, DIRECT)).reused, false);
    assert.equal((await pool.acquire(origin, DIRECT)).reused, true);
    pool.release(origin, DIRECT, first.connection);
    await assert.rejects(pool.acquire(origin, otherRoute), /the proxy|tunnel|HTTP/, 'through the "proxy" it opens a tunnel, never the idle direct one');
    pool.destroy();
  });
});
