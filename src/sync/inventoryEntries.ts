// An inventory (vault-inventory.md) read as a stream of tokens: the InventoryDate, then
// each archive of ArchiveList as it is parsed. Inventories of millions of archives are
// gigabytes; memory here holds one chunk's archives at a time. The tokenizer is
// stream-json's core parser called directly, chunk by chunk: its stream wrapper costs an
// async step per token, six times the parse itself.
import { StringDecoder } from 'node:string_decoder';
import { getManyValues, isMany, none } from 'stream-chain/defs.js';
import { jsonParser, type Token } from 'stream-json/parser.js';
import { FailureError } from '../errors.js';

export interface InventoryArchive {
  id: string;
  description: string;
  creationDate: string | undefined;
  size: number | undefined;
  treeHash: string | undefined;
}

export type InventoryEntry = { kind: 'date'; inventoryDate: string } | { kind: 'archive'; archive: InventoryArchive };

type ArchiveFields = Partial<Record<string, string>>;

function toArchive(fields: ArchiveFields): InventoryArchive {
  const id = fields.ArchiveId;
  if (id === undefined || id === '') throw new FailureError('the inventory lists an archive without an ArchiveId');
  const size = fields.Size === undefined ? undefined : Number(fields.Size);
  return {
    id,
    description: fields.ArchiveDescription ?? '',
    creationDate: fields.CreationDate,
    size: size !== undefined && Number.isSafeInteger(size) ? size : undefined,
    treeHash: fields.SHA256TreeHash,
  };
}

/** Follows the token stream of `{"InventoryDate": ..., "ArchiveList": [{...}, ...], ...}`. */
class InventoryReader {
  #depth = 0;
  #topKey: string | undefined;
  #inList = false;
  #field: string | undefined;
  #archive: ArchiveFields | undefined;
  listEnded = false;

  read(token: Token, out: InventoryEntry[]): void {
    switch (token.name) {
      case 'startObject':
      case 'startArray':
        this.#depth++;
        if (this.#depth === 2 && token.name === 'startArray' && this.#topKey === 'ArchiveList') this.#inList = true;
        else if (this.#inList && this.#depth === 3 && token.name === 'startObject') this.#archive = {};
        break;
      case 'endObject':
      case 'endArray':
        if (this.#inList && this.#depth === 3 && this.#archive !== undefined) {
          out.push({ kind: 'archive', archive: toArchive(this.#archive) });
          this.#archive = undefined;
        } else if (this.#inList && this.#depth === 2) {
          this.#inList = false;
          this.listEnded = true;
        }
        this.#depth--;
        break;
      case 'keyValue':
        if (this.#depth === 1) this.#topKey = token.value;
        else if (this.#depth === 3) this.#field = token.value;
        break;
      case 'stringValue':
      case 'numberValue':
        if (this.#depth === 1 && this.#topKey === 'InventoryDate') out.push({ kind: 'date', inventoryDate: token.value });
        else if (this.#depth === 3 && this.#archive !== undefined && this.#field !== undefined) this.#archive[this.#field] = token.value;
        break;
      default:
        break;
    }
  }

  get complete(): boolean {
    return this.listEnded && this.#depth === 0;
  }
}

/**
 * Yields the InventoryDate and every archive, a chunk's worth at a time. Throws unless the
 * document was whole: a truncated inventory must never pass for one that omits archives.
 */
export async function* inventoryEntries(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<InventoryEntry[]> {
  const tokenize = jsonParser({ streamValues: false });
  // A flushable stage is called with `none` at the end of its input (stream-chain's protocol).
  const parse = tokenize as (text: string | typeof none) => ReturnType<typeof tokenize>;
  const decoder = new StringDecoder('utf8');
  const reader = new InventoryReader();
  const feed = (text: string | typeof none): InventoryEntry[] => {
    const entries: InventoryEntry[] = [];
    try {
      const result = parse(text);
      if (isMany(result)) for (const token of getManyValues(result)) reader.read(token, entries);
    } catch (error) {
      if (error instanceof FailureError) throw error;
      throw new FailureError(`the inventory is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    return entries;
  };
  let first = true;
  for await (const chunk of bytes) {
    let text = decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const entries = feed(text);
    if (entries.length > 0) yield entries;
  }
  const rest = [...feed(decoder.end()), ...feed(none)];
  if (rest.length > 0) yield rest;
  if (!reader.complete) throw new FailureError('the inventory ended early or holds no ArchiveList');
}
