// An inventory (vault-inventory.md) read as a stream of tokens: the InventoryDate, then
// each archive of ArchiveList as it is parsed. Inventories of millions of archives are
// gigabytes; memory here holds one archive at a time.
import { pipeline, Readable } from 'node:stream';
import { parser, type Token } from 'stream-json/parser.js';
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

/**
 * Yields the InventoryDate and every archive. Throws unless the document was whole: a
 * truncated inventory must never pass for one that omits archives.
 */
export async function* inventoryEntries(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<InventoryEntry> {
  const tokens: AsyncIterable<Token> = pipeline(
    Readable.from(bytes, { objectMode: false }),
    parser.asStream({ streamValues: false }),
    () => {
      // Errors surface through the iteration below.
    },
  );
  let depth = 0;
  let topKey: string | undefined;
  let inList = false;
  let listEnded = false;
  let field: string | undefined;
  let archive: ArchiveFields | undefined;
  for await (const token of tokens) {
    switch (token.name) {
      case 'startObject':
      case 'startArray':
        depth++;
        if (depth === 2 && token.name === 'startArray' && topKey === 'ArchiveList') inList = true;
        else if (inList && depth === 3 && token.name === 'startObject') archive = {};
        break;
      case 'endObject':
      case 'endArray':
        if (inList && depth === 3 && archive !== undefined) {
          yield { kind: 'archive', archive: toArchive(archive) };
          archive = undefined;
        } else if (inList && depth === 2) {
          inList = false;
          listEnded = true;
        }
        depth--;
        break;
      case 'keyValue':
        if (depth === 1) topKey = token.value;
        else if (depth === 3) field = token.value;
        break;
      case 'stringValue':
      case 'numberValue':
        if (depth === 1 && topKey === 'InventoryDate') yield { kind: 'date', inventoryDate: token.value };
        else if (depth === 3 && archive !== undefined && field !== undefined) archive[field] = token.value;
        break;
      default:
        break;
    }
  }
  if (!listEnded || depth !== 0) throw new FailureError('the inventory ended early or holds no ArchiveList');
}
