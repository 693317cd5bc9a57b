import { NotFoundError } from '../errors.js';
import { quote } from '../report/quote.js';

/** A .catch handler: ResourceNotFoundException on a vault request → one clear line. */
export function vaultNotFound(vault: string, region: string): (error: unknown) => never {
  return (error: unknown) => {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') {
      throw new NotFoundError(`vault ${quote(vault)} not found in region ${region}`);
    }
    throw error;
  };
}
