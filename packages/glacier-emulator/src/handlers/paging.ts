// The `limit` request parameter of the list operations.
import { invalidParameter } from '../errors.js';

export function pageLimit(query: URLSearchParams, fallback: number, maximum: number): number {
  const text = query.get('limit');
  if (text === null || text === '') return fallback;
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > maximum) {
    throw invalidParameter(`Invalid limit: ${text}. It must be an integer between 1 and ${maximum}`);
  }
  return limit;
}
