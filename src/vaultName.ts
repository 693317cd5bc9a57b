import { UsageError } from './errors.js';
import { quote } from './report/quote.js';

const VAULT_NAME = /^[A-Za-z0-9_.-]{1,255}$/;

/** Vault names Glacier accepts: 1–255 of [A-Za-z0-9_.-] (api-vault-put.md). */
export function checkVaultName(name: string): string {
  if (!VAULT_NAME.test(name)) {
    throw new UsageError(`invalid vault name ${quote(name)}: use 1 to 255 letters, digits, '_', '.' or '-'`);
  }
  return name;
}
