// The tree hash every transfer is verified with, against an oracle written here from the
// definition (checksum-calculations.md) on a different SHA-256 implementation.
import { sha256 } from '@noble/hashes/sha2.js';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BufferPool } from '../src/streams/bufferPool.js';
import { fileByteSource, streamByteSource } from '../src/streams/byteSource.js';
import { chunkParts, type Part } from '../src/streams/partChunker.js';
import { isTreeHashAligned, MiB, TreeHasher, treeHashOf, treeHashOfParts } from '../src/streams/treeHash.js';
import { Readable } from 'node:stream';
import { open } from 'node:fs/promises';
import { oracleTreeHash } from './helpers/oracleTreeHash.js';
import { runCli } from './helpers/runCli.js';
import { makeScratchDir } from './helpers/scratchDir.js';

/** Irregular chunk sizes, crossing leaf boundaries at odd places. */
function* irregularChunks(data: Buffer): Generator<Buffer> {
  const sizes = [1, 7, 65_536, 1_000_003, 3, MiB, 2 * MiB + 5, 4096];
  let offset = 0;
  for (let i = 0; offset < data.length; i++) {
    const size = sizes[i % sizes.length] as number;
    yield data.subarray(offset, offset + size);
    offset += size;
  }
}

const SIZES = [0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB + 7, 4 * 2 * MiB, 5 * 2 * MiB + 3];
const data = randomBytes(5 * 2 * MiB + 3);

describe('tree hash', () => {
  for (const size of SIZES) {
    it(`matches the oracle at ${size} bytes, fed in irregular chunks`, () => {
      const bytes = data.subarray(0, size);
      const hasher = new TreeHasher({ plain: true });
      for (const chunk of irregularChunks(bytes)) hasher.update(chunk);
      assert.equal(hasher.bytes, size);
      assert.equal(hasher.digest().toString('hex'), oracleTreeHash(bytes));
      assert.equal(hasher.plainDigest().toString('hex'), Buffer.from(sha256(bytes)).toString('hex'));
      assert.equal(treeHashOf(bytes).toString('hex'), oracleTreeHash(bytes));
    });
  }

  it('combines power-of-two part roots into the whole archive root', () => {
    for (const partSize of [MiB, 2 * MiB, 4 * MiB]) {
      for (const size of [partSize, 3 * partSize, 5 * 2 * MiB + 3, 3 * MiB + 7]) {
        const bytes = data.subarray(0, size);
        const roots: Buffer[] = [];
        for (let offset = 0; offset < size; offset += partSize) roots.push(treeHashOf(bytes.subarray(offset, offset + partSize)));
        assert.equal(treeHashOfParts(roots).toString('hex'), oracleTreeHash(bytes), `part ${partSize}, size ${size}`);
      }
    }
  });

  it('tells tree-hash-aligned ranges', () => {
    const total = 5 * MiB + 3;
    assert.equal(isTreeHashAligned(0, MiB, total), true);
    assert.equal(isTreeHashAligned(MiB, 2 * MiB, total), true);
    assert.equal(isTreeHashAligned(2 * MiB, 4 * MiB, total), true);
    assert.equal(isTreeHashAligned(0, 4 * MiB, total), true);
    assert.equal(isTreeHashAligned(4 * MiB, total, total), true, 'short last segment');
    assert.equal(isTreeHashAligned(0, total, total), true, 'whole archive');
    assert.equal(isTreeHashAligned(MiB, 3 * MiB, total), false, '2 MiB not at a 2 MiB multiple');
    assert.equal(isTreeHashAligned(0, 3 * MiB, total), false, '3 MiB is no power of two');
    assert.equal(isTreeHashAligned(1, MiB, total), false);
    assert.equal(isTreeHashAligned(0, MiB + 1, total), false);
    assert.equal(isTreeHashAligned(0, total + 1, total), false);
  });
});

async function collectParts(
  parts: AsyncGenerator<Part>,
  pool: BufferPool,
): Promise<{ index: number; offset: number; bytes: Buffer; last: boolean; treeHash: string; sha256: string }[]> {
  const out = [];
  for await (const part of parts) {
    out.push({
      index: part.index,
      offset: part.offset,
      bytes: Buffer.from(part.body),
      last: part.last,
      treeHash: part.treeHash.toString('hex'),
      sha256: part.sha256.toString('hex'),
    });
    pool.release(part.body);
  }
  return out;
}

describe('part chunker', () => {
  const dir = makeScratchDir('chunker-');
  for (const size of [0, 1, MiB - 1, MiB, MiB + 1, 2 * MiB, 5 * MiB + 3]) {
    for (const from of ['stream', 'file'] as const) {
      it(`cuts ${size} bytes from a ${from} into 1 MiB parts with their hashes`, async () => {
        const bytes = data.subarray(0, size);
        const pool = new BufferPool(MiB, 2);
        let parts;
        if (from === 'stream') {
          parts = await collectParts(chunkParts(streamByteSource(Readable.from(irregularChunks(bytes))), pool), pool);
        } else {
          const path = join(dir, `in-${size}`);
          writeFileSync(path, bytes);
          const file = await open(path);
          parts = await collectParts(chunkParts(fileByteSource(file), pool), pool);
          await file.close();
        }
        const expected = Math.max(1, Math.ceil(size / MiB));
        assert.equal(parts.length, expected);
        assert.deepEqual(
          parts.map((p) => p.last),
          parts.map((_, i) => i === expected - 1),
        );
        assert.deepEqual(Buffer.concat(parts.map((p) => p.bytes)), bytes);
        for (const part of parts) {
          assert.equal(part.offset, part.index * MiB);
          assert.equal(part.bytes.length, Math.min(MiB, size - part.offset));
          assert.equal(part.treeHash, oracleTreeHash(part.bytes));
          assert.equal(part.sha256, Buffer.from(sha256(part.bytes)).toString('hex'));
        }
      });
    }
  }

  it('never holds more parts than the pool has buffers', async () => {
    const pool = new BufferPool(MiB, 2);
    const parts = chunkParts(streamByteSource(Readable.from(irregularChunks(data))), pool);
    const held: Part[] = [];
    for (let i = 0; i < 2; i++) held.push((await parts.next()).value as Part);
    let third = false;
    const pending = parts.next().then(() => (third = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(third, false, 'a third part was read with both buffers in use');
    pool.release((held[0] as Part).body);
    await pending;
    assert.equal(third, true);
  });
});

describe('glacier treehash', () => {
  const dir = makeScratchDir('treehash-');
  const fileA = join(dir, 'a');
  const fileB = join(dir, 'b b');
  writeFileSync(fileA, data.subarray(0, 3 * MiB + 7));
  writeFileSync(fileB, data.subarray(0, 1));

  it('prints HASH  NAME for files and stdin, like sha256sum', async () => {
    const result = await runCli('glacier', ['treehash', fileA, '-', fileB], { input: data.subarray(0, MiB) });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.equal(
      result.stdout.toString(),
      `${oracleTreeHash(data.subarray(0, 3 * MiB + 7))}  ${fileA}\n` + `${oracleTreeHash(data.subarray(0, MiB))}  -\n` + `${oracleTreeHash(data.subarray(0, 1))}  ${fileB}\n`,
    );
  });

  it('hashes stdin when given no file, empty input included', async () => {
    const result = await runCli('glacier', ['treehash'], { input: Buffer.alloc(0) });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.toString(), `${oracleTreeHash(new Uint8Array(0))}  -\n`);
  });

  it('reports an unreadable input, hashes the others, and exits 1', async () => {
    const result = await runCli('glacier', ['treehash', join(dir, 'missing'), fileB, dir]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout.toString(), `${oracleTreeHash(data.subarray(0, 1))}  ${fileB}\n`);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 2, result.stderr);
    assert.match(lines[0] as string, /^glacier: '.*missing': no such file$/);
    assert.match(lines[1] as string, /^glacier: '.*': is a directory$/);
  });

  it('refuses unknown options with exit 2', async () => {
    const result = await runCli('glacier', ['treehash', '--bogus', fileA]);
    assert.equal(result.status, 2);
    assert.equal(result.stdout.length, 0);
    assert.match(result.stderr, /^glacier: unknown option '--bogus'/);
  });
});
