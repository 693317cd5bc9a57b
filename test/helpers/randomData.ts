// Input bytes for tests: random, so that no two archives share content by accident.
import { randomBytes } from 'node:crypto';

/** randomBytes fills less than 2 GiB a call: larger sizes are made of pieces. */
const PIECE = 64 * 1024 * 1024;

export function randomData(size: number): Buffer {
  return size <= PIECE ? randomBytes(size) : Buffer.concat([randomBytes(PIECE), randomData(size - PIECE)]);
}
