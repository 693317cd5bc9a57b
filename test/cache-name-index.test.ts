// A sync writes rows first and their name index entries last. When another process wrote
// the vault in between, each deferred index change is held against the row as it is now:
// an entry is added only for a live row of that name, and removed unless one holds it.
// Every other write keeps the index in step in its own transaction.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { nameIndexOrder } from '../src/cache/glacierCache.js';
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

const indexed = (vault: typeof scope = scope): string[] => [...cache.liveNames(vault)].map(({ name, id }) => `${name}/${id}`);

test('checked index changes follow the rows; unchecked ones are applied as given', () => {
  cache.transaction(() => {
    cache.putArchiveRowDeferringIndex(scope, undefined, { id: 'live', name: 'n' });
    cache.putArchiveRowDeferringIndex(scope, undefined, { id: 'deleted', name: 'n', deletedHere: 1 });
    cache.putArchiveRowDeferringIndex(scope, undefined, { id: 'renamed', name: 'm' });
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
  cache.transaction(() => cache.putArchiveRowDeferringIndex(scope, undefined, { id: 'synced', name: 's' }));
  assert.equal(cache.writeCount(scope), before + 1, "a sync's own row write does not");
});

test('ordinary writes keep the index in step: put, rename, delete, undo', () => {
  const vault = { ...scope, vault: 'in-step' };
  cache.putArchives(vault, [
    { id: 'a', name: 'first' },
    { id: 'b', name: 'second' },
  ]);
  assert.deepEqual(indexed(vault), ['first/a', 'second/b']);
  cache.putArchive(vault, { id: 'a', name: 'renamed' });
  assert.deepEqual(indexed(vault), ['renamed/a', 'second/b'], 'a rename moves the entry');
  assert.deepEqual(cache.findByName(vault, 'first'), []);
  const previous = cache.getArchive(vault, 'b');
  cache.markDeleted(vault, 'b', 1);
  assert.deepEqual(indexed(vault), ['renamed/a'], 'a tombstone leaves the index');
  assert.equal(cache.liveArchive(vault, 'b'), undefined, 'and is no live archive');
  assert.equal(cache.getArchive(vault, 'b')?.deletedHere, 1, 'though its row stays');
  cache.undoDelete(vault, 'b', previous);
  assert.deepEqual(indexed(vault), ['renamed/a', 'second/b'], 'an undone delete is indexed again');
  assert.deepEqual(cache.liveArchive(vault, 'b'), { id: 'b', name: 'second' });
  cache.markDeleted(vault, 'unknown', 2);
  cache.undoDelete(vault, 'unknown', undefined);
  assert.equal(cache.getArchive(vault, 'unknown'), undefined, 'the tombstone of an unknown archive goes');
});

test("a sync's deferred row writes hand back the index changes they need, applied in nameIndexOrder", () => {
  const vault = { ...scope, vault: 'deferred' };
  cache.putArchives(vault, [
    { id: 'kept', name: 'k' },
    { id: 'moved', name: 'old' },
    { id: 'gone', name: 'g' },
    { id: 'lost', name: 'l' },
  ]);
  const changes = cache.transaction(() => [
    ...cache.putArchiveRowDeferringIndex(vault, cache.getArchive(vault, 'kept'), { id: 'kept', name: 'k', size: 1 }),
    ...cache.putArchiveRowDeferringIndex(vault, cache.getArchive(vault, 'moved'), { id: 'moved', name: 'new' }),
    ...cache.putArchiveRowDeferringIndex(vault, undefined, { id: 'added', name: 'a b' }),
    ...cache.putArchiveRowDeferringIndex(vault, undefined, { id: 'added2', name: 'a' }),
    ...cache.removeArchiveRowDeferringIndex(vault, cache.getArchive(vault, 'gone') ?? assert.fail('no row')),
    ...cache.putArchiveRowDeferringIndex(vault, cache.getArchive(vault, 'lost'), { id: 'lost', name: 'l', missingFrom: 3 }),
  ]);
  const described = changes.map((change) => `${change.add ? '+' : '-'}${change.name}/${change.id}`);
  assert.deepEqual(described, ['-old/moved', '+new/moved', '+a b/added', '+a/added2', '-g/gone', '-l/lost'], 'an unchanged name needs none');
  assert.deepEqual(indexed(vault), ['g/gone', 'k/kept', 'l/lost', 'old/moved'], 'the index waits');

  const ordered = [...changes].sort((x, y) => (nameIndexOrder(x) < nameIndexOrder(y) ? -1 : 1));
  assert.deepEqual(
    ordered.map((change) => change.id),
    ['added2', 'added', 'gone', 'lost', 'moved', 'moved'],
    'a name sorts before the longer names it starts',
  );
  cache.transaction(() => cache.applyNameIndexChanges(vault, ordered, false));
  assert.deepEqual(indexed(vault), ['a/added2', 'a b/added', 'k/kept', 'new/moved']);
  assert.deepEqual(cache.liveArchive(vault, 'kept'), { id: 'kept', name: 'k', size: 1 });
});
