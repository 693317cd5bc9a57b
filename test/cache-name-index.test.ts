// A sync writes rows first and their name index entries last. When another process wrote
// the vault in between, each deferred index change is held against the row as it is now:
// an entry is added only for a live row of that name, and removed unless one holds it.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { GlacierCache, type NameIndexChange } from '../src/cache/glacierCache.js';
import { makeScratchDir } from './helpers/scratchDir.js';

const scope = { account: '123456789012', region: 'us-east-1', vault: 'indexed' };
let scratch: string;
let cache: GlacierCache;

before(() => {
  scratch = makeScratchDir('glacier-name-index-');
  cache = GlacierCache.open(scratch);
});

after(() => {
  cache.close();
  rmSync(scratch, { recursive: true, force: true });
});

const indexed = (): string[] => [...cache.liveNames(scope)].map(({ name, id }) => `${name}/${id}`);

test('checked index changes follow the rows; unchecked ones are applied as given', () => {
  cache.transaction(() => {
    cache.putArchiveRow(scope, { id: 'live', name: 'n' });
    cache.putArchiveRow(scope, { id: 'deleted', name: 'n', deletedHere: 1 });
    cache.putArchiveRow(scope, { id: 'renamed', name: 'm' });
  });
  const additions: NameIndexChange[] = ['live', 'deleted', 'renamed', 'absent'].map((id) => ({ add: true, name: 'n', id }));
  cache.transaction(() => cache.applyNameIndexChanges(scope, additions, true));
  assert.deepEqual(indexed(), ['n/live'], 'only the live row of that name is indexed');

  cache.transaction(() => cache.applyNameIndexChanges(scope, additions, false));
  assert.deepEqual(indexed(), ['n/absent', 'n/deleted', 'n/live', 'n/renamed'], 'unchecked: all added');

  const removals = additions.map((change) => ({ ...change, add: false }));
  cache.transaction(() => cache.applyNameIndexChanges(scope, removals, true));
  assert.deepEqual(indexed(), ['n/live'], 'a live row of that name keeps its entry');

  const before = cache.writeCount(scope);
  cache.putArchive(scope, { id: 'other', name: 'o' });
  assert.equal(cache.writeCount(scope), before + 1, 'an ordinary write counts');
  cache.transaction(() => cache.putArchiveRow(scope, { id: 'synced', name: 's' }));
  assert.equal(cache.writeCount(scope), before + 1, "a sync's own row write does not");
});
