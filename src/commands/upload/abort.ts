// `glacier upload abort VAULT UPLOAD_ID|NAME`: cancel an unfinished multipart upload
// (api-multipart-abort-upload.md) and forget it in the cache. A name held by several
// unfinished uploads is ambiguous: nothing is aborted, and their ids are listed.
import { vaultNotFound } from '../../aws/vaultNotFound.js';
import type { Session } from '../../cli/session.js';
import { quote } from '../../report/quote.js';
import { expectPositionals, globalOptionSpecs, parseCommandLine } from '../../cli/parseCommandLine.js';
import { AmbiguousNameError, NotFoundError } from '../../errors.js';
import { checkVaultName } from '../../vaultName.js';

export const usage = 'upload abort VAULT UPLOAD_ID|NAME';

export const optionSpecs = globalOptionSpecs;

export async function run(argv: string[], session: Session): Promise<void> {
  const { options, positionals } = parseCommandLine(argv, optionSpecs, usage);
  const [vault, wanted] = expectPositionals(positionals, ['VAULT', 'UPLOAD_ID|NAME'], usage) as [string, string];
  checkVaultName(vault);
  // Not opened as 'vault': the old tool's cache holds no uploads, so nothing is imported for this.
  const { connection, cache, glacier } = await session.open({ options });
  const [{ AbortMultipartUploadCommand }, { vaultScope }, { multipartUploads }] = await Promise.all([
    import('@aws-sdk/client-glacier'),
    import('../../aws/vaultScope.js'),
    import('../../upload/listUploads.js'),
  ]);
  const scope = await vaultScope(cache, connection, glacier, vault);
  let byId: string | undefined;
  const byName: string[] = [];
  for await (const upload of multipartUploads(glacier, vault)) {
    const id = upload.MultipartUploadId ?? '';
    if (id === wanted) byId = id;
    else if (upload.ArchiveDescription === wanted) byName.push(id);
  }
  const chosen = byId ?? onlyOne(byName, wanted, vault);
  await glacier.send(new AbortMultipartUploadCommand({ accountId: '-', vaultName: vault, uploadId: chosen })).catch(vaultNotFound(vault, connection.region));
  cache.removeUpload(scope, chosen);
}

function onlyOne(ids: string[], wanted: string, vault: string): string {
  const [only, ...others] = ids;
  if (only === undefined) throw new NotFoundError(`no unfinished upload ${quote(wanted)} in vault ${quote(vault)}`);
  if (others.length > 0) {
    throw new AmbiguousNameError(`${ids.length} unfinished uploads are named ${quote(wanted)}; abort one by its upload id: ${ids.join(', ')}`);
  }
  return only;
}
