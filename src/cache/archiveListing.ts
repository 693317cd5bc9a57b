// The line formats of `archive list` (docs/compatibility.md, "Output"). Every format is one
// line per entry, so a listing of millions streams without being held.
import { formatNameRef } from '../archiveRef.js';
import { formatByteSize } from '../byteSize.js';
import { decodeForeignName } from '../foreignName.js';
import { printable, printableJson } from '../printable.js';
import type { ArchiveRecord } from './records.js';

/** `names` and `ids` are printed from the name index alone. */
export type NameListingFormat = 'names' | 'ids';
/** `long` and `json` need whole records. */
export type RecordListingFormat = 'long' | 'json';

export type ListedName = Pick<ArchiveRecord, 'id' | 'name'>;

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * The lines for one group of live archives sharing a name. `names`: a name held by one
 * archive prints as a ref to that name (`id:ID` when empty); shared names print
 * `id:ID<TAB>NAME` per archive, as `ids` does for every archive.
 */
export function nameLines(group: readonly ListedName[], format: NameListingFormat): string {
  const only = group[0];
  if (format === 'names' && group.length === 1 && only !== undefined) {
    return `${only.name === '' ? `id:${only.id}` : printable(formatNameRef(only.name))}\n`;
  }
  let lines = '';
  for (const { id, name } of group) lines += `id:${id}\t${printable(name)}\n`;
  return lines;
}

/**
 * `long`: ID, SIZE, CREATION DATE (Glacier's, else when uploaded here), TREE HASH, NAME,
 * tab-separated, `-` for what the cache does not know, and for a name another tool encoded
 * a sixth field, the path it decodes to. `json`: one object per line, with `path` for such
 * a name.
 */

/** The column names of `long`, printed above it on a terminal. */
export const LONG_HEADER = 'ID\tSIZE\tCREATED\tTREE HASH\tNAME\tPATH\n';
export function recordLine(record: ArchiveRecord, format: RecordListingFormat, humanSizes = false): string {
  const path = decodeForeignName(record.name);
  if (format === 'long') {
    const created = record.creationDate ?? iso(record.createdHere) ?? '-';
    const size = record.size === undefined ? '-' : humanSizes ? formatByteSize(record.size) : record.size;
    const decoded = path === undefined ? '' : `\t${printable(path)}`;
    return `${record.id}\t${size}\t${created}\t${record.treeHash ?? '-'}\t${printable(record.name)}${decoded}\n`;
  }
  return `${printableJson({
    id: record.id,
    name: record.name,
    ...(path !== undefined ? { path } : {}),
    size: record.size ?? null,
    creationDate: record.creationDate ?? null,
    treeHash: record.treeHash ?? null,
    createdHere: iso(record.createdHere),
    lastSeenUpstream: iso(record.lastSeenUpstream),
  })}\n`;
}

/** Live archives in name order, grouped by name (a group holds the few sharing a name). */
export function* groupsByName(names: Iterable<ListedName>): Generator<ListedName[]> {
  let group: ListedName[] = [];
  for (const entry of names) {
    if (group.length > 0 && group[0]?.name !== entry.name) {
      yield group;
      group = [];
    }
    group.push(entry);
  }
  if (group.length > 0) yield group;
}
