// When an inventory proves an archive existed (docs/compatibility.md, "The cache and vault sync").
// Glacier regenerates an inventory only about once a day and only when the vault changed,
// so a job may return an old snapshot; an archive listed in it certainly existed at the
// InventoryDate, and is taken to have existed when the inventory could last have been
// regenerated: 72 h before the job was requested.

export const INVENTORY_LAG_MS = 72 * 3600 * 1000;

export function seenUpstreamAt(inventoryDate: number, jobCreationDate: number): number {
  return Math.max(inventoryDate, jobCreationDate - INVENTORY_LAG_MS);
}
