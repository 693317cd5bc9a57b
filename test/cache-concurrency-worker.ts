// One of the writers of test/cache-concurrency.test.ts: puts WORKER's records into the
// shared cache, one archive per transaction and in batches, as fast as it can.
import { GlacierCache } from '../src/cache/glacierCache.js';

const [cacheDir, worker, count] = process.argv.slice(2);
if (cacheDir === undefined || worker === undefined || count === undefined) throw new Error('usage: CACHE_DIR WORKER COUNT');
const scope = { account: '123456789012', region: 'us-east-1', vault: 'shared' };
const cache = GlacierCache.open(cacheDir);
const record = (index: number) => ({ id: `w${worker}-${String(index).padStart(6, '0')}`, name: `file-${index}`, size: index, createdHere: Date.now() });
const total = Number(count);
for (let index = 0; index < total;) {
  if (index % 2 === 0) {
    cache.putArchive(scope, record(index));
    index++;
  } else {
    const batch = [];
    for (let end = Math.min(index + 50, total); index < end; index++) batch.push(record(index));
    cache.putArchives(scope, batch);
  }
}
cache.putSyncState(scope, { ...cache.syncState(scope), syncedAt: Date.now() });
cache.close();
