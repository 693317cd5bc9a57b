// Tree hashes of fetched segments, computed on a worker thread so that the main thread only
// receives and copies while the hash runs on another core. Segments live in
// SharedArrayBuffers: the worker reads them in place, nothing is copied or transferred.
import { Worker } from 'node:worker_threads';

export interface HashRequest {
  id: number;
  memory: SharedArrayBuffer;
  length: number;
}

export interface HashReply {
  id: number;
  root: Uint8Array;
}

export class SegmentHasher {
  readonly #worker = new Worker(new URL('./treeHashWorker.js', import.meta.url));
  readonly #pending = new Map<number, { resolve: (root: Buffer) => void; reject: (failure: Error) => void }>();
  #nextId = 0;
  /** Why the worker is gone, once it is: later requests fail at once instead of waiting forever. */
  #gone: Error | undefined;

  constructor() {
    this.#worker.on('message', ({ id, root }: HashReply) => {
      const waiter = this.#pending.get(id);
      this.#pending.delete(id);
      if (this.#pending.size === 0) this.#worker.unref();
      waiter?.resolve(Buffer.from(root.buffer, root.byteOffset, root.byteLength));
    });
    this.#worker.on('error', (failure) => this.#failAll(failure));
    this.#worker.on('exit', (code) => this.#failAll(new Error(`the tree hash worker exited (code ${code})`)));
    this.#worker.unref();
  }

  /** Tree hash root of `bytes`, a view of a SharedArrayBuffer that must not change until this settles. */
  treeHash(bytes: Buffer): Promise<Buffer> {
    if (!(bytes.buffer instanceof SharedArrayBuffer) || bytes.byteOffset !== 0) throw new Error('SegmentHasher.treeHash: bytes must start a SharedArrayBuffer');
    if (this.#gone !== undefined) return Promise.reject(this.#gone);
    const id = this.#nextId++;
    const request: HashRequest = { id, memory: bytes.buffer, length: bytes.length };
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // Referenced only while a hash is awaited: an idle worker must not keep the process alive.
      this.#worker.ref();
      this.#worker.postMessage(request);
    });
  }

  close(): Promise<number> {
    return this.#worker.terminate();
  }

  #failAll(failure: Error): void {
    this.#gone ??= failure;
    for (const waiter of this.#pending.values()) waiter.reject(failure);
    this.#pending.clear();
  }
}
