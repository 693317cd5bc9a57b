// How the command line names an archive (docs/compatibility.md, "Naming archives"): `id:ID` is an
// archive id, `name:NAME` a name, anything else a name.
import { AmbiguousNameError, NotFoundError, UsageError } from './errors.js';
import { quote } from './report/quote.js';
import type { GlacierCache } from './cache/glacierCache.js';
import { isLive, lastSeen, type ArchiveRecord, type VaultScope } from './cache/records.js';

export type ArchiveRef = { kind: 'id'; id: string } | { kind: 'name'; name: string };

export function parseArchiveRef(text: string): ArchiveRef {
  if (text.startsWith('id:')) {
    if (text.length === 3) throw new UsageError("'id:' names no archive: give the archive id after it");
    return { kind: 'id', id: text.slice(3) };
  }
  if (text.startsWith('name:')) return { kind: 'name', name: text.slice(5) };
  return { kind: 'name', name: text };
}

/** How a listing prints a name so that parseArchiveRef reads it back as that name. */
export function formatNameRef(name: string): string {
  if (name === '') return name;
  return name.startsWith('id:') || name.startsWith('name:') ? `name:${name}` : name;
}

/**
 * The one live archive a reference means, from the cache. An `id:` the cache does not know
 * is still returned (as a bare record) since Glacier may hold it; a name must be known.
 * A name held by several live archives is refused, listing the `id:` refs to use, unless
 * they are copies of one content (see identicalCopies): then the one seen last.
 */
export function resolveArchiveRef(cache: GlacierCache, scope: VaultScope, ref: ArchiveRef): ArchiveRecord {
  if (ref.kind === 'id') {
    const known = cache.getArchive(scope, ref.id);
    return known !== undefined && isLive(known) ? known : { id: ref.id, name: known?.name ?? '' };
  }
  const matches = cache.findByName(scope, ref.name);
  if (matches.length === 0) {
    throw new NotFoundError(`archive ${quote(ref.name)} not found in vault ${quote(scope.vault)} (run 'glacier vault sync ${scope.vault}' if it was uploaded elsewhere)`);
  }
  if (matches.length > 1) {
    const copies = identicalCopies(matches);
    if (copies !== undefined) return copies[0] as ArchiveRecord;
    const refs = matches.map((record) => `id:${record.id}`).join(' ');
    throw new AmbiguousNameError(`archive name ${quote(ref.name)} is held by ${matches.length} archives; name one by id: ${refs}`);
  }
  return matches[0] as ArchiveRecord;
}

/**
 * Archives that hold the same bytes (equal size and tree hash, both known), the one seen
 * last first; undefined when they differ or cannot be told apart. A git-annex key names
 * its content, and git-annex stores a key again when it cannot confirm the first copy
 * (`git annex copy --fast`, two clones, testremote's "storeKey when already present"):
 * refusing such a name would make the key impossible to get back.
 */
export function identicalCopies(records: ArchiveRecord[]): ArchiveRecord[] | undefined {
  const [first] = records;
  if (first === undefined || first.size === undefined || first.treeHash === undefined) return undefined;
  const same = records.every((record) => record.size === first.size && record.treeHash?.toLowerCase() === first.treeHash?.toLowerCase());
  if (!same) return undefined;
  return [...records].sort((a, b) => (lastSeen(b) ?? 0) - (lastSeen(a) ?? 0));
}

/**
 * Every archive a reference means when acting on its content: all identical copies of a
 * name (so deleting a git-annex key leaves no copy behind), else the one archive
 * resolveArchiveRef picks, with its refusals.
 */
export function resolveArchiveCopies(cache: GlacierCache, scope: VaultScope, ref: ArchiveRef): ArchiveRecord[] {
  if (ref.kind === 'name') {
    const matches = cache.findByName(scope, ref.name);
    if (matches.length > 1) {
      const copies = identicalCopies(matches);
      if (copies !== undefined) return copies;
    }
  }
  return [resolveArchiveRef(cache, scope, ref)];
}
