// Create, describe, list and delete vaults (api-vault-put.md, api-vault-get.md,
// api-vaults-get.md, api-vault-delete.md).
import { isoDate } from '../clock.js';
import { invalidParameter } from '../errors.js';
import { sendEmpty, sendJson } from '../http.js';
import { vaultLocation, type GlacierRequest } from '../request.js';
import type { Vault } from '../store/vaults.js';
import { pageLimit } from './paging.js';

export async function createVault(request: GlacierRequest): Promise<void> {
  const { ctx } = request;
  await ctx.vaults.create(request.region, request.vaultName, ctx.clock.now());
  sendEmpty(request.res, 201, { Location: vaultLocation(request) });
}

async function vaultDescription(request: GlacierRequest, vault: Vault): Promise<Record<string, unknown>> {
  const { ctx } = request;
  const snapshot = await vault.refreshSnapshot(ctx.clock.now(), ctx.options.inventoryInterval);
  return {
    CreationDate: isoDate(vault.meta.creationDate),
    LastInventoryDate: snapshot === undefined ? null : isoDate(snapshot.date),
    NumberOfArchives: snapshot?.archiveCount ?? 0,
    SizeInBytes: snapshot?.totalSize ?? 0,
    VaultARN: vault.arn,
    VaultName: vault.name,
  };
}

export async function describeVault(request: GlacierRequest): Promise<void> {
  const vault = await request.ctx.vaults.get(request.region, request.vaultName);
  sendJson(request.res, 200, await vaultDescription(request, vault));
}

export async function listVaults(request: GlacierRequest): Promise<void> {
  const { ctx, query } = request;
  const limit = pageLimit(query, 10, 10);
  const names = await ctx.vaults.names(request.region);
  const marker = query.get('marker') ?? '';
  let start = 0;
  if (marker !== '') {
    start = names.findIndex((name) => ctx.vaults.arn(request.region, name) === marker);
    if (start < 0) throw invalidParameter(`Invalid marker: ${marker}`);
  }
  const page = names.slice(start, start + limit);
  const vaultList: Record<string, unknown>[] = [];
  for (const name of page) {
    const vault = await ctx.vaults.find(request.region, name);
    if (vault !== undefined) vaultList.push(await vaultDescription(request, vault));
  }
  const next = names[start + limit];
  sendJson(request.res, 200, { Marker: next === undefined ? null : ctx.vaults.arn(request.region, next), VaultList: vaultList });
}

export async function deleteVault(request: GlacierRequest): Promise<void> {
  const { ctx } = request;
  const vault = await ctx.vaults.get(request.region, request.vaultName);
  const snapshot = await vault.refreshSnapshot(ctx.clock.now(), ctx.options.inventoryInterval);
  const neverWritten = vault.meta.changeSeq === 0;
  const emptyAndUnwritten = snapshot !== undefined && snapshot.archiveCount === 0 && snapshot.changeSeq === vault.meta.changeSeq;
  if (!neverWritten && !emptyAndUnwritten) throw invalidParameter(`Vault not empty or recently written to: ${vault.arn}`);
  ctx.jobs.forgetVault(vault);
  await ctx.vaults.remove(vault);
  sendEmpty(request.res, 204);
}
