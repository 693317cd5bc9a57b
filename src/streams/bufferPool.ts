// A fixed number of equal buffers, reused: what bounds the memory of an upload or a download to
// (buffers × size) whatever the archive size. `acquire` waits while all are in use, which
// is the backpressure that stops reading when the network is the bottleneck.

export class BufferPool {
  readonly #size: number;
  readonly #limit: number;
  readonly #free: Buffer[] = [];
  readonly #waiting: ((buffer: Buffer) => void)[] = [];
  readonly #owned = new WeakSet<ArrayBufferLike>();
  readonly #shared: boolean;
  #allocated = 0;

  /** `shared`: buffers over SharedArrayBuffers, readable in place by worker threads. */
  constructor(bufferSize: number, limit: number, options: { shared?: boolean } = {}) {
    this.#size = bufferSize;
    this.#limit = limit;
    this.#shared = options.shared === true;
  }

  get bufferSize(): number {
    return this.#size;
  }

  acquire(): Promise<Buffer> {
    const free = this.#free.pop();
    if (free !== undefined) return Promise.resolve(free);
    if (this.#allocated < this.#limit) {
      this.#allocated++;
      // Unpooled, and uninitialised or mapped zero pages: pages are only touched as bytes are copied in.
      const buffer = this.#shared ? Buffer.from(new SharedArrayBuffer(this.#size)) : Buffer.allocUnsafeSlow(this.#size);
      this.#owned.add(buffer.buffer);
      return Promise.resolve(buffer);
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Give back a buffer from `acquire`, or any view of one (a short last part). */
  release(view: Buffer): void {
    if (!this.#owned.has(view.buffer)) throw new Error('BufferPool.release: not a buffer of this pool');
    const whole = Buffer.from(view.buffer, 0, this.#size);
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) waiter(whole);
    else this.#free.push(whole);
  }
}
