// Sorting more items than memory should hold: items are buffered up to RUN_ITEMS, each
// full buffer is sorted and written to its own file as one line per item, and the sorted
// whole is read back by merging the files. Memory holds one buffer plus a read buffer per
// file, whatever the number of items.
//
// Lines are KEY NUL JSON and are sorted as plain strings (no comparator: the engine's own
// string sort is several times faster). Keys must not contain NUL; JSON never does.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { open, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

const RUN_ITEMS = 32_768;
const READ_BYTES = 256 * 1024;

export class ExternalSort<T> {
  readonly #dir: string;
  readonly #keyOf: (item: T) => string;
  readonly #runItems: number;
  #lines: string[] = [];
  #runs = 0;
  #count = 0;

  /**
   * Run files go to a fresh folder under `parentDir`, removed by dispose(); folders left
   * there by sorts whose process is gone (killed) are removed first.
   */
  constructor(parentDir: string, keyOf: (item: T) => string, runItems = RUN_ITEMS) {
    removeAbandonedSorts(parentDir);
    this.#dir = mkdtempSync(join(parentDir, `sort-${process.pid}-`));
    this.#keyOf = keyOf;
    this.#runItems = runItems;
  }

  get count(): number {
    return this.#count;
  }

  async add(item: T): Promise<void> {
    this.#lines.push(`${this.#keyOf(item)}\u0000${JSON.stringify(item)}`);
    this.#count++;
    if (this.#lines.length >= this.#runItems) await this.#writeRun();
  }

  /** Every item added, in key order (items of equal keys in no set order). */
  async *sorted(): AsyncGenerator<T> {
    if (this.#runs === 0) {
      for (const line of this.#lines.sort()) yield parseLine<T>(line);
      return;
    }
    if (this.#lines.length > 0) await this.#writeRun();
    const readers = await Promise.all(Array.from({ length: this.#runs }, (_, run) => RunReader.open(this.#runPath(run))));
    try {
      yield* mergeRuns<T>(readers);
    } finally {
      await Promise.all(readers.map((reader) => reader.close()));
    }
  }

  dispose(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }

  async #writeRun(): Promise<void> {
    const lines = this.#lines.sort();
    this.#lines = [];
    await writeFile(this.#runPath(this.#runs), `${lines.join('\n')}\n`);
    this.#runs++;
  }

  #runPath(run: number): string {
    return join(this.#dir, `run-${run}`);
  }
}

function removeAbandonedSorts(parentDir: string): void {
  for (const name of readdirSync(parentDir)) {
    const pid = Number(/^sort-(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !isRunning(pid)) rmSync(join(parentDir, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (failure) {
    // EPERM: it runs, as another user.
    return (failure as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseLine<T>(line: string): T {
  return JSON.parse(line.slice(line.lastIndexOf('\u0000') + 1)) as T;
}

/** A min-heap of the runs' current lines: the next line overall is always at the top. */
async function* mergeRuns<T>(readers: RunReader[]): AsyncGenerator<T> {
  const heap: { line: string; reader: RunReader }[] = [];
  const less = (a: number, b: number): boolean => (heap[a] as { line: string }).line < (heap[b] as { line: string }).line;
  const swap = (a: number, b: number): void => {
    [heap[a], heap[b]] = [heap[b] as (typeof heap)[number], heap[a] as (typeof heap)[number]];
  };
  const siftDown = (start: number): void => {
    for (let at = start; ;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let least = at;
      if (left < heap.length && less(left, least)) least = left;
      if (right < heap.length && less(right, least)) least = right;
      if (least === at) return;
      swap(at, least);
      at = least;
    }
  };
  for (const reader of readers) {
    const line = await reader.next();
    if (line !== undefined) heap.push({ line, reader });
  }
  for (let at = Math.floor(heap.length / 2) - 1; at >= 0; at--) siftDown(at);
  while (heap.length > 0) {
    const top = heap[0] as (typeof heap)[number];
    yield parseLine<T>(top.line);
    const next = await top.reader.next();
    if (next !== undefined) {
      top.line = next;
    } else {
      const last = heap.pop() as (typeof heap)[number];
      if (heap.length === 0) break;
      heap[0] = last;
    }
    siftDown(0);
  }
}

/** The lines of one run file, read a block at a time. */
class RunReader {
  readonly #file: FileHandle;
  readonly #block = Buffer.allocUnsafe(READ_BYTES);
  readonly #decoder = new StringDecoder('utf8');
  #lines: string[] = [];
  #index = 0;
  #partial = '';
  #ended = false;

  private constructor(file: FileHandle) {
    this.#file = file;
  }

  static async open(path: string): Promise<RunReader> {
    return new RunReader(await open(path, 'r'));
  }

  async next(): Promise<string | undefined> {
    while (this.#index >= this.#lines.length) {
      if (this.#ended) return undefined;
      await this.#fill();
    }
    return this.#lines[this.#index++];
  }

  async #fill(): Promise<void> {
    const { bytesRead } = await this.#file.read(this.#block, 0, READ_BYTES, null);
    const text = this.#partial + (bytesRead === 0 ? this.#decoder.end() : this.#decoder.write(this.#block.subarray(0, bytesRead)));
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    if (bytesRead === 0) {
      this.#ended = true;
      if (this.#partial !== '') lines.push(this.#partial);
      this.#partial = '';
    }
    this.#lines = lines;
    this.#index = 0;
  }

  close(): Promise<void> {
    return this.#file.close();
  }
}
