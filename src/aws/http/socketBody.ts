// The body of a response on an HttpConnection. receiveInto() reads it whole into the
// caller's memory, in place; read as a stream instead, it arrives in fresh chunks as it
// comes off the network (the SDK and the inventory download see an ordinary Readable).
// Once the body has been read to its end the connection goes back to its pool; a body
// abandoned part-way closes it.
import { Readable } from 'node:stream';
import type { HttpConnection } from './httpConnection.js';

const CHUNK_BYTES = 64 * 1024;

export class SocketBody extends Readable {
  /** Bytes of the body, from Content-Length. */
  readonly length: number;
  readonly #connection: HttpConnection;
  readonly #release: () => void;
  #unread: number;
  #receivedInto = false;

  constructor(connection: HttpConnection, length: number, release: () => void) {
    super();
    this.length = length;
    this.#connection = connection;
    this.#release = release;
    this.#unread = length;
    if (length === 0) release();
  }

  /** Reads the whole body into the start of `target`, and returns its length. */
  async receiveInto(target: Buffer): Promise<number> {
    if (this.#receivedInto || this.#unread !== this.length) throw new Error('SocketBody.receiveInto: the body has already been read');
    if (target.length < this.length) {
      this.destroy();
      throw new RangeError(`SocketBody.receiveInto: ${this.length} bytes do not fit in ${target.length}`);
    }
    this.#receivedInto = true;
    await this.#fill(target.subarray(0, this.length));
    return this.length;
  }

  override _read(size: number): void {
    if (this.#receivedInto) {
      this.destroy(new Error('SocketBody: read as a stream after receiveInto'));
      return;
    }
    if (this.#unread === 0) {
      this.push(null);
      return;
    }
    const chunk = Buffer.allocUnsafe(Math.min(this.#unread, Math.max(size, CHUNK_BYTES)));
    this.#fill(chunk, true).then(
      (filled) => {
        this.push(chunk.subarray(0, filled));
        if (this.#unread === 0) this.push(null);
      },
      (failure: Error) => this.destroy(failure),
    );
  }

  override _destroy(failure: Error | null, callback: (failure: Error | null) => void): void {
    if (this.#unread > 0) this.#connection.destroy();
    callback(failure);
  }

  async #fill(target: Buffer, partial = false): Promise<number> {
    // An empty body's connection went back to its pool in the constructor: not twice.
    if (target.length === 0) return 0;
    const filled = await this.#connection.fill(target, partial);
    this.#unread -= filled;
    if (this.#unread === 0) this.#release();
    return filled;
  }
}
