// The live archives of a vault in the cache that fall in this shard, read in pages of ids
// so that no LMDB read stays open across network work and memory holds one page.
import type { GlacierCache } from '../cache/glacierCache.js';
import { isLive, type ArchiveRecord, type VaultScope } from '../cache/records.js';
import { inShard, type Shard } from './shard.js';

const PAGE = 1000;

export async function* vaultArchives(cache: GlacierCache, scope: VaultScope, shard: Shard | undefined): AsyncGenerator<ArchiveRecord> {
  let after: string | undefined;
  for (;;) {
    const page: ArchiveRecord[] = [];
    for (const record of cache.archivesBetween(scope, after, undefined)) {
      page.push(record);
      if (page.length === PAGE) break;
    }
    if (page.length === 0) return;
    after = (page[page.length - 1] as ArchiveRecord).id;
    for (const record of page) {
      if (isLive(record) && inShard(record.id, shard)) yield record;
    }
  }
}
