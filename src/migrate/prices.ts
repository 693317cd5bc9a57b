// What a migration costs, for --dry-run: AWS list prices for us-east-1 in US dollars per
// GiB-month, per GiB and per 1,000 requests, as published at PRICES_DATE. Prices change
// and differ by region: --prices FILE replaces any of them (same shape, JSON).
import { readFileSync } from 'node:fs';
import { quote } from '../report/quote.js';
import { UsageError } from '../errors.js';
import type { Tier } from '../retrieve/tier.js';

export interface RetrievalPrice {
  perGiB: number;
  per1000Requests: number;
  /** How long a job of this tier takes, in hours: fastest and slowest typical. */
  hours: [number, number];
}

export interface StoragePrice {
  perGiBMonth: number;
  /** PUT, POST (CreateMultipartUpload, UploadPart, CompleteMultipartUpload) requests. */
  putPer1000: number;
}

export interface PriceTable {
  date: string;
  region: string;
  vaultPerGiBMonth: number;
  retrieval: Record<Tier, RetrievalPrice>;
  s3: Record<string, StoragePrice>;
}

export const PRICES_DATE = '2025-12-01';

export const US_EAST_1_PRICES: PriceTable = {
  date: PRICES_DATE,
  region: 'us-east-1',
  vaultPerGiBMonth: 0.0036,
  retrieval: {
    Expedited: { perGiB: 0.03, per1000Requests: 10, hours: [1 / 60, 5 / 60] },
    Standard: { perGiB: 0.01, per1000Requests: 0.05, hours: [3, 5] },
    Bulk: { perGiB: 0.0025, per1000Requests: 0.025, hours: [5, 12] },
  },
  s3: {
    STANDARD: { perGiBMonth: 0.023, putPer1000: 0.005 },
    INTELLIGENT_TIERING: { perGiBMonth: 0.023, putPer1000: 0.005 },
    STANDARD_IA: { perGiBMonth: 0.0125, putPer1000: 0.01 },
    ONEZONE_IA: { perGiBMonth: 0.01, putPer1000: 0.01 },
    GLACIER_IR: { perGiBMonth: 0.004, putPer1000: 0.02 },
    GLACIER: { perGiBMonth: 0.0036, putPer1000: 0.03 },
    DEEP_ARCHIVE: { perGiBMonth: 0.00099, putPer1000: 0.05 },
    REDUCED_REDUNDANCY: { perGiBMonth: 0.024, putPer1000: 0.005 },
  },
};

/** The built-in table with whatever FILE sets laid over it; refused before any network work. */
export function loadPrices(file: string | undefined): PriceTable {
  if (file === undefined) return US_EAST_1_PRICES;
  let given: unknown;
  try {
    given = JSON.parse(readFileSync(file, 'utf8'));
  } catch (failure) {
    throw new UsageError(`--prices ${quote(file)}: ${(failure as Error).message}`);
  }
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw new UsageError(`--prices ${quote(file)}: expected a JSON object like the built-in table (see man glacier-migrate)`);
  const merged = overlay(US_EAST_1_PRICES, given, file, '') as PriceTable;
  return merged;
}

/** Replaces numbers and strings of `base` by those of `given`, key by key; new S3 classes are welcome. */
function overlay(base: unknown, given: unknown, file: string, path: string): unknown {
  if (typeof base === 'number') {
    if (typeof given !== 'number' || !Number.isFinite(given) || given < 0) throw new UsageError(`--prices ${quote(file)}: ${path} must be a non-negative number`);
    return given;
  }
  if (typeof base === 'string') {
    if (typeof given !== 'string') throw new UsageError(`--prices ${quote(file)}: ${path} must be a string`);
    return given;
  }
  if (Array.isArray(base)) {
    if (!Array.isArray(given) || given.length !== base.length) throw new UsageError(`--prices ${quote(file)}: ${path} must be a list of ${base.length} numbers`);
    return base.map((item, index) => overlay(item, given[index], file, `${path}[${index}]`));
  }
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new UsageError(`--prices ${quote(file)}: ${path || 'the table'} must be an object`);
  const result: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(given as Record<string, unknown>)) {
    const inner = (base as Record<string, unknown>)[key] ?? (path === '.s3' ? US_EAST_1_PRICES.s3.STANDARD : undefined);
    if (inner === undefined) throw new UsageError(`--prices ${quote(file)}: unknown entry ${path}.${key}`);
    result[key] = overlay(inner, value, file, `${path}.${key}`);
  }
  return result;
}
