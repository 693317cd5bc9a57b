import { formatNameRef } from '../archiveRef.js';
import type { ArchiveRecord } from '../cache/records.js';
import { quote } from '../report/quote.js';

/** How messages name an archive: its name as a ref, or `id:ID` when it has none; quoted. */
export function archiveLabel(record: Pick<ArchiveRecord, 'id' | 'name'>): string {
  return quote(record.name === '' ? `id:${record.id}` : formatNameRef(record.name));
}
