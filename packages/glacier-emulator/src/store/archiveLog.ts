// A vault's archives as an append-only log: one line per archive, already in the shape
// of an inventory entry (api-job-output-get.md), so an inventory is a filtered copy of
// the log's first N bytes. Deletions go to a second log, held in memory (they are few
// next to the archives). Lookups by id use the log offset the id carries (ids.ts).
import { appendFile, open, stat, readFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { archiveIdFor, logOffsetOf } from '../ids.js';
import { isMissingFile } from './files.js';

export interface ArchiveEntry {
  ArchiveId: string;
  ArchiveDescription: string;
  CreationDate: string;
  Size: number;
  SHA256TreeHash: string;
}

export interface Deletion {
  /** Position in the deletion log: a snapshot counts the deletions it saw. */
  index: number;
  date: number;
}

const MAX_LINE_BYTES = 4096;

export class ArchiveLog {
  #length = 0;
  readonly #deletions = new Map<string, Deletion>();

  private constructor(
    readonly logPath: string,
    readonly deletionsPath: string,
  ) {}

  static async open(logPath: string, deletionsPath: string): Promise<ArchiveLog> {
    const log = new ArchiveLog(logPath, deletionsPath);
    try {
      log.#length = (await stat(logPath)).size;
    } catch (error) {
      if (!isMissingFile(error)) throw error;
    }
    let text = '';
    try {
      text = await readFile(deletionsPath, 'utf8');
    } catch (error) {
      if (!isMissingFile(error)) throw error;
    }
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const { id, t } = JSON.parse(line) as { id: string; t: number };
      log.#deletions.set(id, { index: log.#deletions.size, date: t });
    }
    return log;
  }

  get length(): number {
    return this.#length;
  }

  get deletionCount(): number {
    return this.#deletions.size;
  }

  deletionOf(archiveId: string): Deletion | undefined {
    return this.#deletions.get(archiveId);
  }

  /** Appends entries built from their ids; the caller serializes appends. */
  async append(build: Array<(id: string) => ArchiveEntry>): Promise<ArchiveEntry[]> {
    const entries: ArchiveEntry[] = [];
    const lines: string[] = [];
    let offset = this.#length;
    for (const make of build) {
      const entry = make(archiveIdFor(offset));
      const line = `${JSON.stringify(entry)}\n`;
      entries.push(entry);
      lines.push(line);
      offset += Buffer.byteLength(line);
    }
    await appendFile(this.logPath, lines.join(''));
    this.#length = offset;
    return entries;
  }

  async recordDeletion(archiveId: string, date: number): Promise<void> {
    await appendFile(this.deletionsPath, `${JSON.stringify({ id: archiveId, t: date })}\n`);
    this.#deletions.set(archiveId, { index: this.#deletions.size, date });
  }

  /** The entry for an id, deleted or not; undefined when the id was never issued here. */
  async find(archiveId: string): Promise<ArchiveEntry | undefined> {
    const offset = logOffsetOf(archiveId);
    if (offset === undefined || offset >= this.#length) return undefined;
    const buffer = Buffer.alloc(Math.min(MAX_LINE_BYTES, this.#length - offset));
    const file = await open(this.logPath, 'r');
    try {
      await file.read(buffer, 0, buffer.length, offset);
    } finally {
      await file.close();
    }
    const end = buffer.indexOf(10);
    if (end < 0) return undefined;
    let entry: ArchiveEntry;
    try {
      entry = JSON.parse(buffer.subarray(0, end).toString('utf8')) as ArchiveEntry;
    } catch {
      return undefined;
    }
    return entry.ArchiveId === archiveId ? entry : undefined;
  }

  /** Log lines of [from, to) bytes, in order, each with the offset it starts at. */
  async *lines(from: number, to: number): AsyncGenerator<{ offset: number; line: string }> {
    if (to <= from) return;
    const input = createReadStream(this.logPath, { start: from, end: to - 1, highWaterMark: 1 << 20 });
    const reader = createInterface({ input, crlfDelay: Infinity });
    let offset = from;
    for await (const line of reader) {
      yield { offset, line };
      offset += Buffer.byteLength(line) + 1;
    }
  }
}

/** Cheap field extraction from a log line, without a full JSON parse. */
export function idOfLine(line: string): string {
  return line.slice('{"ArchiveId":"'.length, line.indexOf('"', '{"ArchiveId":"'.length));
}

export function creationDateOfLine(line: string): string {
  const key = ',"CreationDate":"';
  const start = line.lastIndexOf(key) + key.length;
  return line.slice(start, line.indexOf('"', start));
}
