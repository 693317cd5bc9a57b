// `glacier upload list [VAULT]`: the unfinished multipart uploads Glacier holds, one a
// line, joined with what this machine's cache knows of them:
//   VAULT <TAB> UPLOAD_ID <TAB> CREATED <TAB> PART_SIZE <TAB> PARTS_SENT <TAB> SOURCE <TAB> NAME
// PARTS_SENT and SOURCE are '-' for uploads started elsewhere. Uploads the cache
// remembers but Glacier no longer holds (expired or aborted elsewhere) are forgotten.
import type { Session } from '../../cli/session.js';
import { globalOptionSpecs, type OptionSpecs } from '../../cli/parseCommandLine.js';
import { parseOptionalVaultCommandLine } from '../vaultCommandLine.js';

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
  const [{ printVaultUploads }, { vaultNames }] = await Promise.all([import('./printVaultUploads.js'), import('../../upload/listUploads.js')]);
  const json = options.json === true;
  if (vault !== undefined) await printVaultUploads(glacier, cache, connection, vault, json);
  else for await (const name of vaultNames(glacier)) await printVaultUploads(glacier, cache, connection, name, json);
}
