// Unfinished multipart uploads as Glacier lists them (ListMultipartUploads, every page:
// api-multipart-list-uploads.md), one page in memory at a time.
import { ListMultipartUploadsCommand, ListVaultsCommand, type UploadListElement } from '@aws-sdk/client-glacier';
import type { Glacier } from '../aws/glacier.js';
import { vaultNotFound } from '../aws/vaultNotFound.js';

/** The most a page of uploads or parts may hold (api-multipart-list-uploads.md,
 * api-multipart-list-parts.md). */
export const PAGE_LIMIT = 50;

export async function* multipartUploads(glacier: Glacier, vault: string): AsyncGenerator<UploadListElement> {
  let marker: string | undefined;
  do {
    const page = await glacier.send(new ListMultipartUploadsCommand({ accountId: '-', vaultName: vault, limit: PAGE_LIMIT, marker })).catch(vaultNotFound(vault, glacier.region));
    yield* page.UploadsList ?? [];
    marker = page.Marker ?? undefined;
  } while (marker !== undefined && marker !== '');
}

export async function* vaultNames(glacier: Glacier): AsyncGenerator<string> {
  let marker: string | undefined;
  do {
    const page = await glacier.send(new ListVaultsCommand({ accountId: '-', marker }));
    for (const vault of page.VaultList ?? []) if (vault.VaultName !== undefined) yield vault.VaultName;
    marker = page.Marker ?? undefined;
  } while (marker !== undefined && marker !== '');
}
