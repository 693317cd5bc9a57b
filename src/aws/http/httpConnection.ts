// One keep-alive HTTP/1.1 connection whose socket reads straight into the memory its caller
// names (the onread option of net.connect and tls.connect): a response body lands in the
// buffer it is verified in, with no allocation per read, no stream and no copy. Node's HTTP
// client allocates 64 KiB for every read, parses it and passes it through a stream: about
// a third of the CPU a retrieval cost on the main thread.
//
// Node asks for the next read's memory right after each read. So the first read after the
// caller names its memory still lands in the connection's scratch buffer and is copied from
// there; every later one lands in place. Through a proxy the same holds inside its tunnel
// (readInPlace.ts).
//
// A response must keep coming: while one is awaited, fewer than floorBytesPerSecond × idleMs
// bytes in idleMs (none at all, or a trickle) fail it as a timeout.
import { connect as connectTcp, type OnReadOpts, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { readInPlace } from './readInPlace.js';
import { contentLength, parseResponseHead, ProtocolError, type ResponseHead } from './responseHead.js';
import type { Origin, Route } from './route.js';
import { openTunnel } from './tunnel.js';

export type { Origin } from './route.js';

export interface Timeouts {
  /** To open the connection (proxy tunnel and TLS handshake included). */
  connectMs: number;
  /** The window in which a response awaited must make progress. */
  idleMs: number;
  /** Less than this many bytes per second over idleMs is no progress either; 0 judges silence only. */
  floorBytesPerSecond?: number;
}

const DIRECT: Route = { proxy: undefined, secureContext: undefined };

const SCRATCH_BYTES = 64 * 1024;
const HEAD_LIMIT = 64 * 1024;
const EMPTY: Buffer = Buffer.alloc(0);

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (failure: Error) => void;
}

interface Fill extends Waiter<number> {
  target: Buffer;
  filled: number;
  /** Settle as soon as some bytes are in, not only when the target is full. */
  partial: boolean;
}

function networkError(message: string, code: string, name?: string): Error {
  return Object.assign(new Error(message), { code }, name === undefined ? {} : { name });
}

export class HttpConnection {
  #socket!: Socket;
  readonly #scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
  readonly #timeouts: Timeouts;
  /** 'idle': ready for a request. 'head': a request sent, its response head awaited. 'body': its body not all read. 'closed': for good. */
  #phase: 'idle' | 'head' | 'body' | 'closed' = 'idle';
  #head = EMPTY;
  #headWaiter: Waiter<ResponseHead> | undefined;
  /** Body bytes still on the network. */
  #bodyUnread = 0;
  /** Body bytes received but not yet handed to a fill. */
  #leftover = EMPTY;
  #fill: Fill | undefined;
  #keepAlive = true;
  #failure: Error | undefined;
  /** Whether any byte of the current response has arrived: a reused connection that fails before one was probably closed by the server while idle. */
  #answered = false;
  #watchdog: NodeJS.Timeout | undefined;
  /** Bytes received since #windowStart, while a response is awaited. */
  #windowBytes = 0;
  #windowStart = 0;

  private constructor(timeouts: Timeouts) {
    this.#timeouts = timeouts;
  }

  static async open(origin: Origin, timeouts: Timeouts, route: Route = DIRECT): Promise<HttpConnection> {
    const connection = new HttpConnection(timeouts);
    const onread = { buffer: () => connection.#nextReadMemory(), callback: (bytes: number, memory: Uint8Array) => connection.#onRead(bytes, memory) };
    const host = origin.hostname.replace(/^\[(.*)\]$/, '$1');
    const tlsOptions: ConnectionOptions = { host, port: origin.port, servername: host, ALPNProtocols: ['http/1.1'] };
    if (route.secureContext !== undefined) tlsOptions.secureContext = route.secureContext;
    if (route.proxy === undefined) {
      // tls.connect takes onread too (Node's tls.connect documentation), though @types/node omits it.
      connection.#socket =
        origin.protocol === 'https:' ? connectTls({ ...tlsOptions, onread } as ConnectionOptions & { onread: OnReadOpts }) : connectTcp({ host, port: origin.port, onread });
      return connection.#connected(origin.protocol === 'https:' ? 'secureConnect' : 'connect');
    }
    const tunnel = await openTunnel(route.proxy, origin, timeouts.connectMs);
    if (origin.protocol === 'http:') {
      connection.#socket = tunnel;
      readInPlace(tunnel, onread);
      tunnel.resume();
      return connection.#connected(undefined);
    }
    connection.#socket = connectTls({ ...tlsOptions, socket: tunnel });
    readInPlace(connection.#socket, onread);
    return connection.#connected('secureConnect');
  }

  /** Resolves once `event` has come (none: the socket is connected already). */
  #connected(event: 'connect' | 'secureConnect' | undefined): Promise<HttpConnection> {
    const socket = this.#socket;
    socket.setNoDelay(true);
    socket.on('error', (failure) => this.#fail(failure));
    socket.on('end', () => this.#fail(networkError('the server closed the connection', 'ECONNRESET')));
    socket.on('close', () => this.#fail(networkError('the connection closed', 'ECONNRESET')));
    if (event === undefined) return Promise.resolve(this);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => socket.destroy(networkError(`could not connect within ${this.#timeouts.connectMs / 1000} s`, 'ETIMEDOUT', 'TimeoutError')),
        this.#timeouts.connectMs,
      );
      const settle = (failure?: Error): void => {
        clearTimeout(timer);
        socket.off(event, settle);
        socket.off('error', settle);
        if (failure === undefined) resolve(this);
        else reject(failure);
      };
      socket.once(event, settle);
      socket.once('error', settle);
    });
  }

  /** Ready for another request: idle, and not closed or asked to close. */
  get reusable(): boolean {
    return this.#phase === 'idle' && this.#keepAlive;
  }

  get answered(): boolean {
    return this.#answered;
  }

  /** While idle the connection is unreferenced: it must not keep the process alive. */
  set referenced(value: boolean) {
    if (value) this.#socket.ref();
    else this.#socket.unref();
  }

  /** Sends a request head (no body) and resolves with the response head; its body is then read with fill(). */
  request(head: string): Promise<ResponseHead> {
    if (this.#phase !== 'idle') return Promise.reject(this.#failure ?? new Error('HttpConnection: a request is already under way'));
    this.#phase = 'head';
    this.#answered = false;
    this.#watch();
    return new Promise((resolve, reject) => {
      this.#headWaiter = { resolve, reject };
      this.#socket.write(head, 'latin1');
    });
  }

  /**
   * Fills `target` with the next target.length bytes of the body and resolves with that
   * count; with `partial`, resolves as soon as some bytes are in, with how many.
   */
  fill(target: Buffer, partial = false): Promise<number> {
    if (target.length === 0) return Promise.resolve(0);
    if (this.#phase !== 'body') return Promise.reject(this.#failure ?? new Error('HttpConnection: no body to read'));
    if (this.#fill !== undefined) return Promise.reject(new Error('HttpConnection: a fill is already under way'));
    if (target.length > this.#leftover.length + this.#bodyUnread) return Promise.reject(new RangeError('HttpConnection: fill past the end of the body'));
    const fromLeftover = Math.min(target.length, this.#leftover.length);
    this.#leftover.copy(target, 0, 0, fromLeftover);
    this.#leftover = this.#leftover.subarray(fromLeftover);
    if (fromLeftover === target.length || (partial && fromLeftover > 0)) {
      this.#endBodyIfRead();
      return Promise.resolve(fromLeftover);
    }
    return new Promise((resolve, reject) => {
      this.#fill = { target, filled: fromLeftover, partial, resolve, reject };
      this.#socket.resume();
    });
  }

  destroy(failure?: Error): void {
    this.#socket.destroy(failure);
  }

  #nextReadMemory(): Buffer {
    const fill = this.#fill;
    return fill !== undefined ? fill.target.subarray(fill.filled) : this.#scratch;
  }

  /** Returns false to pause reading: a body waits for its reader's next fill. */
  #onRead(bytes: number, memory: Uint8Array): boolean {
    this.#answered = true;
    this.#windowBytes += bytes;
    try {
      if (memory === this.#scratch) this.#takeScratch(this.#scratch.subarray(0, bytes));
      else this.#takeInPlace(bytes);
    } catch (failure) {
      this.#socket.destroy(failure as Error);
      return false;
    }
    return this.#phase !== 'body' || this.#fill !== undefined;
  }

  #takeInPlace(bytes: number): void {
    const fill = this.#fill;
    if (fill === undefined) throw new Error('HttpConnection: a read landed in released memory');
    fill.filled += bytes;
    this.#bodyUnread -= bytes;
    if (fill.partial || fill.filled === fill.target.length) this.#settleFill();
  }

  #takeScratch(bytes: Buffer): void {
    if (this.#phase === 'head') {
      this.#takeHeadBytes(bytes);
      return;
    }
    if (this.#phase !== 'body') throw new ProtocolError(`${bytes.length} bytes arrived with no request`);
    this.#takeBodyBytes(bytes);
  }

  #takeHeadBytes(bytes: Buffer): void {
    this.#head = this.#head.length === 0 ? bytes : Buffer.concat([this.#head, bytes]);
    const head = parseResponseHead(this.#head);
    if (head === undefined) {
      if (this.#head.length > HEAD_LIMIT) throw new ProtocolError(`response head longer than ${HEAD_LIMIT} bytes`);
      // The scratch buffer is read into again: keep these bytes apart.
      if (this.#head === bytes) this.#head = Buffer.from(bytes);
      return;
    }
    const length = contentLength(head);
    // Without a Content-Length the body would run to the connection's end: not read, not kept.
    this.#keepAlive = length !== undefined && !/\bclose\b/i.test(head.headers.connection ?? '');
    const bodyBytes = this.#head.subarray(head.length);
    this.#head = EMPTY;
    this.#phase = 'body';
    this.#bodyUnread = length ?? 0;
    this.#takeBodyBytes(length === undefined ? EMPTY : bodyBytes);
    const waiter = this.#headWaiter;
    this.#headWaiter = undefined;
    waiter?.resolve(head);
  }

  #takeBodyBytes(bytes: Buffer): void {
    if (bytes.length > this.#bodyUnread) throw new ProtocolError(`${bytes.length - this.#bodyUnread} bytes past the end of the response`);
    this.#bodyUnread -= bytes.length;
    const fill = this.#fill;
    const used = fill === undefined ? 0 : bytes.copy(fill.target, fill.filled);
    if (used < bytes.length) this.#leftover = Buffer.concat([this.#leftover, bytes.subarray(used)]);
    if (fill === undefined) {
      this.#endBodyIfRead();
      return;
    }
    fill.filled += used;
    if (fill.partial || fill.filled === fill.target.length) this.#settleFill();
  }

  #settleFill(): void {
    const fill = this.#fill!;
    this.#fill = undefined;
    this.#endBodyIfRead();
    fill.resolve(fill.filled);
  }

  #endBodyIfRead(): void {
    if (this.#phase !== 'body' || this.#bodyUnread > 0 || this.#leftover.length > 0) return;
    this.#phase = 'idle';
    this.#unwatch();
    if (!this.#keepAlive) {
      this.#socket.destroy();
      return;
    }
    // Idle: read on, so that a close by the server is seen before the connection is reused.
    this.#socket.resume();
  }

  #fail(failure: Error): void {
    this.#unwatch();
    if (this.#phase === 'closed') return;
    const pending = this.#phase === 'head' || this.#phase === 'body';
    this.#phase = 'closed';
    this.#failure = failure;
    this.#keepAlive = false;
    this.#headWaiter?.reject(failure);
    this.#fill?.reject(failure);
    this.#headWaiter = undefined;
    this.#fill = undefined;
    if (!pending) this.#socket.destroy();
  }

  #watch(): void {
    this.#restartWindow();
    this.#watchdog ??= setInterval(() => this.#judgeWindow(), Math.max(10, this.#timeouts.idleMs / 4));
    this.#watchdog.unref();
  }

  #unwatch(): void {
    clearInterval(this.#watchdog);
    this.#watchdog = undefined;
  }

  #restartWindow(): void {
    this.#windowBytes = 0;
    this.#windowStart = performance.now();
  }

  /**
   * Fails the response awaited when its last idleMs brought too few bytes. While nobody
   * reads, the window starts over: a paused body is not the network's fault.
   */
  #judgeWindow(): void {
    const awaited = this.#phase === 'head' || this.#fill !== undefined;
    const elapsed = performance.now() - this.#windowStart;
    if (!awaited) {
      this.#restartWindow();
      return;
    }
    if (elapsed < this.#timeouts.idleMs) return;
    const seconds = this.#timeouts.idleMs / 1000;
    const floor = this.#timeouts.floorBytesPerSecond ?? 0;
    if (this.#windowBytes === 0) {
      this.#socket.destroy(networkError(`timed out after ${seconds} s without a byte`, 'ETIMEDOUT', 'TimeoutError'));
    } else if (this.#windowBytes < floor * seconds) {
      this.#socket.destroy(networkError(`timed out: ${this.#windowBytes} bytes in ${seconds} s, slower than ${floor} bytes/s`, 'ETIMEDOUT', 'TimeoutError'));
    } else {
      this.#restartWindow();
    }
  }
}
