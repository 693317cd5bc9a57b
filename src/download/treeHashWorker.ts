// Worker thread: tree hashes of segments that the main thread fetched into shared memory.
import { parentPort } from 'node:worker_threads';
import { treeHashOf } from '../streams/treeHash.js';
import type { HashRequest, HashReply } from './segmentHasher.js';

parentPort?.on('message', ({ id, memory, length }: HashRequest) => {
  const reply: HashReply = { id, root: new Uint8Array(treeHashOf(new Uint8Array(memory, 0, length))) };
  parentPort?.postMessage(reply);
});
