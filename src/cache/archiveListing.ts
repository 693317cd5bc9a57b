// The line formats of `archive list` (CONTRACT.md, "Output formats"). Every format is one
// line per entry, so a listing of millions streams without being held.
import { formatNameRef } from '../archiveRef.js';
import type { ArchiveRecord } from './records.js';

export type ListingFormat = 'names' | 'ids' | 'long' | 'json';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * The lines for one group of live archives sharing a name. `names`: a name held by one
 * archive prints as a ref to that name (`id:ID` when empty); shared names print
 * `id:ID<TAB>NAME` per archive, as `ids` does for every archive.
 */
export function listingLines(group: readonly ArchiveRecord[], format: ListingFormat): string {
  const only = group[0];
  if (format === 'names' && group.length === 1 && only !== undefined) {
    return `${only.name === '' ? `id:${only.id}` : formatNameRef(only.name)}\n`;
  }
  let lines = '';
  for (const record of group) lines += lineOf(record, format);
  return lines;
}

function lineOf(record: ArchiveRecord, format: ListingFormat): string {
  switch (format) {
    case 'names':
    case 'ids':
      return `id:${record.id}\t${record.name}\n`;
    case 'long': {
      const created = record.creationDate ?? iso(record.createdHere) ?? '-';
      return `${record.id}\t${record.size ?? '-'}\t${created}\t${record.treeHash ?? '-'}\t${record.name}\n`;
    }
    case 'json':
      return `${JSON.stringify({
        id: record.id,
        name: record.name,
        size: record.size ?? null,
        creationDate: record.creationDate ?? null,
        treeHash: record.treeHash ?? null,
        createdHere: iso(record.createdHere),
        lastSeenUpstream: iso(record.lastSeenUpstream),
      })}\n`;
  }
}

/** Live archives in name order, grouped by name (a group holds the few sharing a name). */
export function* groupsByName(records: Iterable<ArchiveRecord>): Generator<ArchiveRecord[]> {
  let group: ArchiveRecord[] = [];
  for (const record of records) {
    if (group.length > 0 && group[0]?.name !== record.name) {
      yield group;
      group = [];
    }
    group.push(record);
  }
  if (group.length > 0) yield group;
}
