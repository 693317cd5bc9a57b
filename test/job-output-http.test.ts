// GetJobOutput over the client's own HTTP connections (src/aws/http): the real SDK with
// the AwsRequestHandler of openGlacier, against TCP servers written here to answer the
// way a server may, well or badly: bodies in many small writes, connections closed while
// idle or on a request's arrival, bodies cut short or too long, chunked bodies, silence.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetJobOutputCommand } from '@aws-sdk/client-glacier';
import { openGlacier, type Glacier } from '../src/aws/glacier.js';
import { HttpConnection } from '../src/aws/http/httpConnection.js';
import { SocketBody } from '../src/aws/http/socketBody.js';
import { isRetryable } from '../src/aws/retry.js';
import { fetchVerifiedSegment } from '../src/download/fetchSegment.js';
import { SegmentHasher } from '../src/download/segmentHasher.js';
import { treeHashOf } from '../src/streams/treeHash.js';
import { Reporter } from '../src/report/reporter.js';

process.env.AWS_ACCESS_KEY_ID = 'AKIATEST';
process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

interface Arrival {
  socket: Socket;
  /** 0 for the first connection the server accepted, and so on. */
  connection: number;
  /** 0 for the first request on its connection, and so on. */
  request: number;
  head: string;
}

interface TestServer {
  glacier: Glacier;
  port: number;
  connections(): number;
  close(): Promise<void>;
}

/** A TCP server that hands each request head to `answer`, and a Glacier client pointed at it. */
async function serve(answer: (arrival: Arrival) => void | Promise<void>): Promise<TestServer> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    const connection = connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = '';
    let request = 0;
    socket.on('data', (data) => {
      pending += data.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const head = pending.slice(0, end);
        pending = pending.slice(end + 4);
        void answer({ socket, connection, request: request++, head });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const glacier = openGlacier({ region: 'us-east-1', endpointUrl: `http://127.0.0.1:${port}` }, new Reporter({ progress: false }));
  return {
    glacier,
    port,
    connections: () => connections,
    close: async () => {
      glacier.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function head(status: string, headers: Record<string, string | number>): string {
  return [`HTTP/1.1 ${status}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), '', ''].join('\r\n');
}

const okHead = (length: number): string => head('200 OK', { 'Content-Length': length, 'Content-Type': 'application/octet-stream' });

/** Writes `bytes` in pieces of 1 to 5000 bytes, one per event loop turn. */
async function trickle(socket: Socket, bytes: Buffer): Promise<void> {
  for (let offset = 0; offset < bytes.length;) {
    const piece = Math.min(bytes.length - offset, 1 + Math.floor(Math.random() * 5000));
    socket.write(bytes.subarray(offset, offset + piece));
    offset += piece;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function jobOutput(glacier: Glacier, range?: string): Promise<{ body: SocketBody; checksum: string | undefined }> {
  return glacier.client.send(new GetJobOutputCommand({ accountId: '-', vaultName: 'v', jobId: 'job', ...(range !== undefined ? { range } : {}) })).then((output) => {
    assert.ok(output.body instanceof SocketBody, 'GetJobOutput answers with a SocketBody');
    return { body: output.body, checksum: output.checksum };
  });
}

async function receiveWhole(body: SocketBody): Promise<Buffer> {
  const memory = Buffer.from(new SharedArrayBuffer(body.length + 17));
  const received = await body.receiveInto(memory);
  return Buffer.from(memory.subarray(0, received));
}

async function readAsStream(body: SocketBody): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (failure) {
    return failure as Error & { code?: string };
  }
  assert.fail('expected a failure');
}

describe('GetJobOutput over the client connections', () => {
  const servers: TestServer[] = [];
  const started = async (answer: (arrival: Arrival) => void | Promise<void>): Promise<TestServer> => {
    const server = await serve(answer);
    servers.push(server);
    return server;
  };
  after(async () => {
    for (const server of servers) await server.close();
  });

  test('a body in many small writes arrives whole, in place and as a stream, on one kept-alive connection', async () => {
    const bytes = randomBytes(300_000);
    const requests: string[] = [];
    const server = await started(async ({ socket, head: requestHead }) => {
      requests.push(requestHead);
      socket.write(head('200 OK', { 'Content-Length': bytes.length, 'x-amz-sha256-tree-hash': 'ab'.repeat(32) }));
      await trickle(socket, bytes);
    });
    const first = await jobOutput(server.glacier, 'bytes=0-299999');
    assert.equal(first.checksum, 'ab'.repeat(32), 'headers reach the SDK');
    assert.ok((await receiveWhole(first.body)).equals(bytes));
    const second = await jobOutput(server.glacier);
    assert.ok((await readAsStream(second.body)).equals(bytes));
    assert.equal(server.connections(), 1, 'the second request reused the connection');
    assert.match(requests[0] ?? '', /^GET \/-\/vaults\/v\/jobs\/job\/output HTTP\/1\.1\r\n/);
    assert.match(requests[0] ?? '', /\r\nrange: bytes=0-299999(\r\n|$)/i);
    assert.match(requests[0] ?? '', /\r\nauthorization: AWS4-HMAC-SHA256 /i, 'signed by the SDK');
  });

  test('a body that is empty, or comes whole with its head, is received', async () => {
    const server = await started(({ socket, request }) => {
      socket.write(request === 0 ? okHead(0) : Buffer.concat([Buffer.from(okHead(5)), Buffer.from('hello')]));
    });
    assert.equal((await receiveWhole((await jobOutput(server.glacier)).body)).length, 0);
    assert.equal((await receiveWhole((await jobOutput(server.glacier)).body)).toString(), 'hello');
    assert.equal(server.connections(), 1);
  });

  test('a body nobody reads stays on the network: the client takes no more than it is given room for', async () => {
    const size = 64 * 1024 * 1024;
    let serverSocket: Socket | undefined;
    const server = await started(({ socket }) => {
      serverSocket = socket;
      socket.write(okHead(size));
      // In pieces: writableLength counts a piece until all of it has gone.
      const piece = Buffer.alloc(64 * 1024, 7);
      for (let sent = 0; sent < size; sent += piece.length) socket.write(piece);
    });
    const { body } = await jobOutput(server.glacier);
    await sleep(300);
    // Kernel buffers on loopback hold a few MiB; the rest must still wait in the server.
    assert.ok((serverSocket?.writableLength ?? 0) > size / 2, `server still holds ${serverSocket?.writableLength} bytes`);
    assert.equal((await receiveWhole(body)).length, size);
  });

  test('a kept-alive connection the server closed while idle is not used again', async () => {
    const server = await started(({ socket }) => {
      socket.end(Buffer.concat([Buffer.from(okHead(3)), Buffer.from('abc')]));
    });
    assert.equal((await receiveWhole((await jobOutput(server.glacier)).body)).toString(), 'abc');
    await sleep(50);
    assert.equal((await receiveWhole((await jobOutput(server.glacier)).body)).toString(), 'abc');
    assert.equal(server.connections(), 2);
  });

  test('a kept-alive connection closed as the next request arrives: the request is sent again on a new one', async () => {
    const server = await started(({ socket, request }) => {
      if (request === 0) socket.write(Buffer.concat([Buffer.from(okHead(3)), Buffer.from('abc')]));
      else socket.destroy();
    });
    await receiveWhole((await jobOutput(server.glacier)).body);
    assert.equal((await receiveWhole((await jobOutput(server.glacier)).body)).toString(), 'abc');
    assert.equal(server.connections(), 2);
  });

  test('a body cut short fails as a retryable reset, and the connection is not reused', async () => {
    const server = await started(({ socket, connection }) => {
      if (connection === 0) socket.end(Buffer.concat([Buffer.from(okHead(1000)), randomBytes(500)]));
      else socket.write(Buffer.concat([Buffer.from(okHead(2)), Buffer.from('ok')]));
    });
    const failure = await rejection(receiveWhole((await jobOutput(server.glacier)).body));
    assert.equal(failure.code, 'ECONNRESET');
    assert.ok(isRetryable(failure));
    assert.equal((await receiveWhole((await jobOutput(server.glacier)).body)).toString(), 'ok');
    assert.equal(server.connections(), 2);
  });

  test('a stream of a body cut short ends in an error after the bytes that came', async () => {
    const server = await started(async ({ socket }) => {
      socket.write(okHead(1000));
      socket.write(randomBytes(400));
      await sleep(30);
      socket.destroy();
    });
    const body = (await jobOutput(server.glacier)).body;
    let received = 0;
    const failure = await rejection(
      (async () => {
        for await (const chunk of body) received += (chunk as Buffer).length;
      })(),
    );
    assert.equal(received, 400);
    assert.ok(isRetryable(failure), `${failure.code}: ${failure.message}`);
  });

  test('bytes past the announced length are refused', async () => {
    const server = await started(({ socket }) => {
      socket.write(Buffer.concat([Buffer.from(okHead(10)), randomBytes(20)]));
    });
    const failure = await rejection(jobOutput(server.glacier).then(({ body }) => receiveWhole(body)));
    assert.match(failure.message, /10 bytes past the end of the response/);
    assert.equal(isRetryable(failure), false);
  });

  test('a segment whose body runs on past its length is fetched again, and verified', async () => {
    const bytes = randomBytes(10_000);
    const answer = Buffer.from(head('206 Partial Content', { 'Content-Length': bytes.length, 'x-amz-sha256-tree-hash': treeHashOf(bytes).toString('hex') }));
    const server = await started(async ({ socket, connection }) => {
      if (connection > 0) {
        socket.write(Buffer.concat([answer, bytes]));
        return;
      }
      socket.write(Buffer.concat([answer, bytes.subarray(0, 4000)]));
      await sleep(30);
      socket.write(Buffer.concat([bytes.subarray(4000), Buffer.from('and more')]));
    });
    const hasher = new SegmentHasher();
    try {
      const memory = Buffer.from(new SharedArrayBuffer(bytes.length));
      const output = { glacier: server.glacier, vault: 'v', jobId: 'job' };
      const verified = await fetchVerifiedSegment(output, { index: 0, start: 0, length: bytes.length }, memory, hasher);
      assert.ok(Buffer.from(verified.bytes).equals(bytes));
      assert.equal(server.connections(), 2);
    } finally {
      await hasher.close();
    }
  });

  test('a chunked answer is refused with a clear message', async () => {
    const server = await started(({ socket }) => {
      socket.write(`${head('200 OK', { 'Transfer-Encoding': 'chunked' })}3\r\nabc\r\n0\r\n\r\n`);
    });
    const failure = await rejection(jobOutput(server.glacier));
    assert.match(failure.message, /unsupported Transfer-Encoding: chunked/);
  });

  test('an answer that is not HTTP is refused', async () => {
    const server = await started(({ socket }) => {
      socket.write('SSH-2.0-OpenSSH_9.2\r\n\r\n');
    });
    const failure = await rejection(jobOutput(server.glacier));
    assert.match(failure.message, /not an HTTP\/1\.1 status line: "SSH-2\.0-OpenSSH_9\.2"/);
  });

  test('an error answer reaches the SDK as the error it names, and the connection is kept', async () => {
    const server = await started(({ socket, request }) => {
      if (request === 0) {
        const json = JSON.stringify({ code: 'ResourceNotFoundException', message: 'The job ID was not found: job', type: 'Client' });
        socket.write(`${head('404 Not Found', { 'Content-Type': 'application/json', 'Content-Length': json.length, 'x-amzn-RequestId': 'r1' })}${json}`);
      } else {
        socket.write(Buffer.concat([Buffer.from(okHead(2)), Buffer.from('ok')]));
      }
    });
    const failure = await rejection(jobOutput(server.glacier));
    assert.equal(failure.name, 'ResourceNotFoundException');
    assert.match(failure.message, /The job ID was not found: job/);
    assert.equal((await receiveWhole((await jobOutput(server.glacier)).body)).toString(), 'ok');
    assert.equal(server.connections(), 1);
  });

  test('an error answer without a Content-Length reaches the SDK by its status; the connection is closed', async () => {
    const server = await started(({ socket, connection }) => {
      if (connection === 0) socket.end(`${head('503 Service Unavailable', { 'Content-Type': 'text/plain' })}try later`);
      else socket.write(Buffer.concat([Buffer.from(okHead(2)), Buffer.from('ok')]));
    });
    const failure = (await rejection(jobOutput(server.glacier))) as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(failure.$metadata?.httpStatusCode, 503);
    assert.ok(isRetryable(failure));
    assert.equal((await receiveWhole((await jobOutput(server.glacier)).body)).toString(), 'ok');
    assert.equal(server.connections(), 2);
  });

  test('a server that never answers: the idle timeout is a retryable TimeoutError', async () => {
    const server = await started(() => undefined);
    // openGlacier's connections wait 120 s; one of the same kind that waits 200 ms.
    const connection = await HttpConnection.open({ protocol: 'http:', hostname: '127.0.0.1', port: server.port }, { connectMs: 1000, idleMs: 200 });
    const failure = await rejection(connection.request('GET /-/vaults/v/jobs/job/output HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n'));
    assert.equal(failure.name, 'TimeoutError');
    assert.match(failure.message, /timed out after 0\.2 s without a byte/);
    assert.ok(isRetryable(failure));
  });
});
