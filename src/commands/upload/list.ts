// `glacier upload list [VAULT]`: the unfinished multipart uploads Glacier holds, one a
// line, joined with what this machine's cache knows of them:
//   VAULT <TAB> UPLOAD_ID <TAB> CREATED <TAB> PART_SIZE <TAB> PARTS_SENT <TAB> SOURCE <TAB> NAME
// PARTS_SENT and SOURCE are '-' for uploads started elsewhere. Uploads the cache
// remembers but Glacier no longer holds (expired or aborted elsewhere) are forgotten.
import type { Glacier } from '../../aws/glacier.js';
import { vaultScope } from '../../aws/vaultScope.js';
import type { GlacierCache } from '../../cache/glacierCache.js';
import { printable, printableJson } from '../../printable.js';
import type { PendingUpload } from '../../cache/records.js';
import type { Session } from '../../cli/session.js';
import { globalOptionSpecs, type OptionSpecs } from '../../cli/parseCommandLine.js';
import { formatByteSize } from '../../byteSize.js';
import { multipartUploads, vaultNames } from '../../upload/listUploads.js';
import { parseOptionalVaultCommandLine } from '../vaultCommandLine.js';
import type { Connection } from '../../aws/connection.js';

export const usage = 'upload list [--json] [VAULT]';

export const optionSpecs = {
  ...globalOptionSpecs,
  json: { type: 'boolean', description: 'one JSON object per upload and line' },
} as const satisfies OptionSpecs;

export async function run(argv: string[], session: Session): Promise<void> {
  const { options, vault } = parseOptionalVaultCommandLine(argv, optionSpecs, usage);
  // Not opened as 'vault': with no VAULT every vault is listed, each scope resolved in turn,
  // and the old tool's cache holds no uploads to import.
  const { connection, cache, glacier } = await session.open({ options });
  const json = options.json === true;
  if (vault !== undefined) await listVault(glacier, cache, connection, vault, json);
  else for await (const name of vaultNames(glacier)) await listVault(glacier, cache, connection, name, json);
}

async function listVault(glacier: Glacier, cache: GlacierCache, connection: Connection, vault: string, json: boolean): Promise<void> {
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
