// The on-disk sort a sync uses to walk the cache in key order: whatever the number of
// runs, it yields every item once, in the order of the keys' bytes, and leaves no files.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ExternalSort } from '../src/sync/externalSort.js';
import { makeScratchDir } from './helpers/scratchDir.js';

interface Item {
  key: string;
  n: number;
}

let scratch: string;

before(() => {
  scratch = makeScratchDir('glacier-external-sort-');
});

after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** Keys that are prefixes of one another, printable ASCII, duplicates included. */
function items(count: number): Item[] {
  return Array.from({ length: count }, (_, n) => {
    const length = 1 + ((randomBytes(1)[0] as number) % 12);
    const key = randomBytes(length).toString('base64url').slice(0, length).replace(/^-/, 'a') + (n % 7 === 0 ? '' : ' x');
    return { key, n };
  });
}

const byteOrder = (a: Item, b: Item): number => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)) || a.n - b.n;

for (const [label, count, runItems] of [
  ['in memory (one run)', 500, 1000],
  ['several runs merged', 5000, 333],
  ['runs of one item', 50, 1],
  ['nothing at all', 0, 10],
] as const) {
  test(`ExternalSort: ${label}`, async () => {
    const input = items(count);
    const sorter = new ExternalSort<Item>(scratch, (item) => item.key, runItems);
    for (const item of input) await sorter.add(item);
    assert.equal(sorter.count, count);
    const output: Item[] = [];
    for await (const item of sorter.sorted()) output.push(item);
    const keys = output.map((item) => item.key);
    assert.deepEqual(
      keys,
      [...input].sort(byteOrder).map((item) => item.key),
      'keys in byte order',
    );
    assert.deepEqual(
      output.map((item) => item.n).sort((a, b) => a - b),
      input.map((item) => item.n),
      'every item exactly once',
    );
    sorter.dispose();
    assert.deepEqual(readdirSync(scratch), [], 'no run files left');
  });
}

test('ExternalSort: folders left by a killed sort are removed, those of running ones kept', async () => {
  const parent = mkdtempSync(join(scratch, 'parent-'));
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const abandoned = join(parent, `sort-${dead.stdout}-abc123`);
  const running = join(parent, `sort-${process.ppid}-def456`);
  mkdirSync(abandoned);
  mkdirSync(running);
  const sorter = new ExternalSort<Item>(parent, (item) => item.key);
  assert.equal(existsSync(abandoned), false, "the dead process's runs are gone");
  assert.equal(existsSync(running), true, "a running process's runs stay");
  sorter.dispose();
  rmSync(parent, { recursive: true, force: true });
});
