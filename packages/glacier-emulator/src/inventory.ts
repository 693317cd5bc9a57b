// Inventory job output (api-job-output-get.md, vault-inventory.md), generated as a stream
// from a vault snapshot into a file: a vault of millions of archives never sits whole in
// memory. Range inventory retrieval (api-initiate-job-post.md): StartDate inclusive,
// EndDate exclusive, Limit, and a Marker that is the log offset of the next archive.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { inventoryDate, wholeSeconds } from './clock.js';
import { invalidParameter } from './errors.js';
import { creationDateOfLine, idOfLine, type ArchiveEntry } from './store/archiveLog.js';
import type { Snapshot, Vault } from './store/vaults.js';

export type InventoryFormat = 'JSON' | 'CSV';

export interface InventoryParameters {
  StartDate: string | null;
  EndDate: string | null;
  Limit: string | null;
  Marker: string | null;
}

export interface InventoryResult {
  size: number;
  nextMarker: string | null;
}

export function encodeMarker(offset: number): string {
  return Buffer.from(`glacier-emulator:${offset}`).toString('base64url');
}

export function decodeMarker(marker: string): number {
  const match = /^glacier-emulator:(\d+)$/.exec(Buffer.from(marker, 'base64url').toString('latin1'));
  if (match === null) throw invalidParameter(`Invalid inventory retrieval marker: ${marker}`);
  return Number(match[1]);
}

/** Checks InventoryRetrievalParameters of an Initiate Job request. */
export function checkInventoryParameters(input: unknown): InventoryParameters {
  const source = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const text = (name: string): string | null => {
    const value = source[name];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string' && typeof value !== 'number') throw invalidParameter(`Invalid ${name}: ${JSON.stringify(value)}`);
    return String(value);
  };
  const parameters: InventoryParameters = { StartDate: text('StartDate'), EndDate: text('EndDate'), Limit: text('Limit'), Marker: text('Marker') };
  for (const name of ['StartDate', 'EndDate'] as const) {
    const value = parameters[name];
    if (value !== null && Number.isNaN(Date.parse(value))) throw invalidParameter(`Invalid ${name}: ${value}. Dates are ISO 8601, e.g. 2013-03-20T17:03:43Z`);
  }
  if (parameters.StartDate !== null && parameters.EndDate !== null && Date.parse(parameters.StartDate) >= Date.parse(parameters.EndDate)) {
    throw invalidParameter(`The start date ${parameters.StartDate} must be before the end date ${parameters.EndDate}`);
  }
  if (parameters.Limit !== null && (!/^\d+$/.test(parameters.Limit) || Number(parameters.Limit) < 1)) {
    throw invalidParameter(`Invalid Limit: ${parameters.Limit}. It must be an integer of at least 1`);
  }
  if (parameters.Marker !== null) decodeMarker(parameters.Marker);
  return parameters;
}

class BufferedFileWriter {
  #pending: string[] = [];
  #pendingLength = 0;
  #written = 0;

  constructor(readonly stream: WriteStream) {}

  async write(text: string): Promise<void> {
    this.#pending.push(text);
    this.#pendingLength += text.length;
    if (this.#pendingLength >= 1 << 20) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const chunk = Buffer.from(this.#pending.join(''), 'utf8');
    this.#pending = [];
    this.#pendingLength = 0;
    this.#written += chunk.length;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<number> {
    await this.#flush();
    this.stream.end();
    await once(this.stream, 'finish');
    return this.#written;
  }
}

export async function writeInventory(vault: Vault, snapshot: Snapshot, format: InventoryFormat, parameters: InventoryParameters, outputPath: string): Promise<InventoryResult> {
  const writer = new BufferedFileWriter(createWriteStream(outputPath));
  const startMs = parameters.StartDate === null ? -Infinity : Date.parse(parameters.StartDate);
  const endMs = parameters.EndDate === null ? Infinity : Date.parse(parameters.EndDate);
  const limit = parameters.Limit === null ? Infinity : Number(parameters.Limit);
  const from = parameters.Marker === null ? 0 : decodeMarker(parameters.Marker);

  if (format === 'JSON') {
    await writer.write(`{"VaultARN":${JSON.stringify(vault.arn)},"InventoryDate":"${inventoryDate(snapshot.date)}","ArchiveList":[`);
  } else {
    await writer.write('ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash\n');
  }
  let listed = 0;
  let nextMarker: string | null = null;
  for await (const { offset, line } of vault.archives.lines(from, snapshot.logLength)) {
    const deletion = vault.archives.deletionOf(idOfLine(line));
    if (deletion !== undefined && deletion.index < snapshot.deletionCount) continue;
    const created = Date.parse(creationDateOfLine(line));
    if (created < startMs || created >= endMs) continue;
    if (listed === limit) {
      nextMarker = encodeMarker(offset);
      break;
    }
    if (format === 'JSON') await writer.write(listed === 0 ? inventoryLine(line) : `,${inventoryLine(line)}`);
    else await writer.write(csvRow(JSON.parse(line) as ArchiveEntry));
    listed++;
  }
  if (format === 'JSON') await writer.write(']}');
  const size = await writer.close();
  return { size, nextMarker };
}

/** A log line as an inventory entry: the same JSON, its CreationDate in whole seconds. */
function inventoryLine(line: string): string {
  const key = ',"CreationDate":"';
  const start = line.lastIndexOf(key) + key.length;
  const end = line.indexOf('"', start);
  return `${line.slice(0, start)}${wholeSeconds(line.slice(start, end))}${line.slice(end)}`;
}

/** CSV as Glacier writes it: the description always quoted, quotes inside escaped with a
 * backslash, backslashes left alone (api-job-output-get.md). */
function csvRow(entry: ArchiveEntry): string {
  const description = `"${entry.ArchiveDescription.replace(/"/g, '\\"')}"`;
  return `${entry.ArchiveId},${description},${wholeSeconds(entry.CreationDate)},${entry.Size},${entry.SHA256TreeHash}\n`;
}
