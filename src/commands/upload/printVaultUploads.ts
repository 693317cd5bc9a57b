// The lines of `glacier upload list` for one vault (see list.ts), and the cache's
// forgetting of the uploads Glacier no longer holds. Loaded once the command line is
// checked, since it needs the AWS SDK.
import type { Connection } from '../../aws/connection.js';
import type { Glacier } from '../../aws/glacier.js';
import { vaultScope } from '../../aws/vaultScope.js';
import { formatByteSize } from '../../byteSize.js';
import type { GlacierCache } from '../../cache/glacierCache.js';
import type { PendingUpload } from '../../cache/records.js';
import { printable, printableJson } from '../../printable.js';
import { multipartUploads } from '../../upload/listUploads.js';

export async function printVaultUploads(glacier: Glacier, cache: GlacierCache, connection: Connection, vault: string, json: boolean): Promise<void> {
  const scope = await vaultScope(cache, connection, glacier, vault);
  // Only this machine's pending uploads: a handful, not the vault's.
  const known = new Map<string, PendingUpload>();
  for (const upload of cache.pendingUploads(scope)) known.set(upload.uploadId, upload);
  const listed = new Set<string>();
  for await (const upload of multipartUploads(glacier, vault)) {
    const id = upload.MultipartUploadId ?? '';
    listed.add(id);
    const local = known.get(id);
    let partsSent: number | undefined;
    if (local !== undefined) {
      partsSent = 0;
      for (const _ of cache.uploadedParts(scope, id)) partsSent++;
    }
    if (json) {
      const object = {
        vault,
        uploadId: id,
        creationDate: upload.CreationDate ?? null,
        partSize: upload.PartSizeInBytes ?? null,
        partsSent: partsSent ?? null,
        source: local?.source ?? null,
        name: upload.ArchiveDescription ?? '',
      };
      process.stdout.write(`${printableJson(object)}\n`);
      continue;
    }
    const partSize = upload.PartSizeInBytes !== undefined ? formatByteSize(upload.PartSizeInBytes) : '-';
    const fields = [vault, id, upload.CreationDate ?? '-', partSize, partsSent ?? '-', printable(local?.source ?? '-'), printable(upload.ArchiveDescription ?? '')];
    process.stdout.write(`${fields.join('\t')}\n`);
  }
  for (const id of known.keys()) if (!listed.has(id)) cache.removeUpload(scope, id);
}
