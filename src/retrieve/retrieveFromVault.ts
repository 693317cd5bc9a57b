// The network half of `archive retrieve`: names resolved through the cache of the vault's
// partition, then the delayed-completion steps.
import type { ArchiveRef } from '../archiveRef.js';
import { resolveArchiveRef } from '../archiveRef.js';
import { quote } from '../report/quote.js';
import { UsageError } from '../errors.js';
import { isTreeHashAligned } from '../streams/treeHash.js';
import type { VaultContext } from '../vaultContext.js';
import { checkRangeWithinArchive, formatByteRange, isWholeArchive } from './byteRange.js';
import { defaultDestination, type Destination } from './destination.js';
import { retrieveArchives, type RetrievalTarget, type RetrieveSettings } from './retrieveArchives.js';

export interface RetrieveRequest {
  refs: { text: string; ref: ArchiveRef }[];
  /** Per ref; undefined for an id: ref whose file name comes from the cache. */
  destinations: (Destination | undefined)[];
  force: boolean;
  settings: RetrieveSettings;
}

export async function retrieveFromVault(context: VaultContext, request: RetrieveRequest): Promise<void> {
  const { cache, scope } = context;
  const { settings } = request;
  const targets: RetrievalTarget[] = request.refs.map(({ text, ref }, index) => {
    const archive = resolveArchiveRef(cache, scope, ref);
    const destination = request.destinations[index] ?? defaultDestination(archive.name, request.force);
    if (settings.range !== undefined && archive.size !== undefined) {
      checkRangeWithinArchive(settings.range, archive.size, quote(text));
      const end = settings.range.end + 1;
      if (!isTreeHashAligned(settings.range.start, end, archive.size)) {
        throw new UsageError(
          `--range ${formatByteRange(settings.range)} is not tree-hash aligned, so Glacier would send no checksum to verify it by; use 2^k MiB starting at a multiple of that size`,
        );
      }
      if (isWholeArchive(settings.range, archive.size)) delete settings.range;
    }
    return { label: text, archiveId: archive.id, destination };
  });
  await retrieveArchives(context, targets, settings);
}
