// Kept apart from syncVault.ts, which loads the AWS SDK: commands that may answer from the
// cache alone read this default without loading it.

/** Inventory jobs take hours: poll every five minutes unless told otherwise. */
export const INVENTORY_POLL_SECONDS = 300;
