// --shard K/N: archives split among N independent runs by a hash of their id, so that N
// machines migrate one vault with nothing shared but the destination.
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !(count >= 1) || !(index < count) || !Number.isSafeInteger(count)) {
    throw new UsageError(`--shard takes K/N with 0 <= K < N (e.g. 0/4), not '${text}'`);
  }
  return { index, count };
}

export function inShard(archiveId: string, shard: Shard | undefined): boolean {
  if (shard === undefined) return true;
  const digest = createHash('sha256').update(archiveId).digest();
  return digest.readUInt32BE(0) % shard.count === shard.index;
}
