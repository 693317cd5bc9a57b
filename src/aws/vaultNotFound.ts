import { NotFoundError } from '../errors.js';
import { isAwsErrorNamed } from './describeAwsError.js';
import { quote } from '../report/quote.js';

/** A .catch handler: ResourceNotFoundException on a vault request → one clear line. */
export function vaultNotFound(vault: string, region: string): (error: unknown) => never {
  return (error: unknown) => {
    if (isAwsErrorNamed(error, 'ResourceNotFoundException')) {
      throw new NotFoundError(`vault ${quote(vault)} not found in region ${region}`);
    }
    throw error;
  };
}
