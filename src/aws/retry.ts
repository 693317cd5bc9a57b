// Patient retries for multi-hour transfers (rule 5): timeouts, resets, 408/500/502/503/504
// and throttling are retried with exponential backoff and jitter, each retry reported
// on stderr. The SDK's own retries are switched off so that this is the only policy.
import { warn } from '../cli/messages.js';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** A whole number from the environment, or the fallback when unset or not one. */
function wholeNumberFromEnv(name: string, fallback: number, least: number): number {
  const text = process.env[name];
  const value = text === undefined || text.trim() === '' ? NaN : Number(text);
  return Number.isInteger(value) && value >= least ? value : fallback;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: wholeNumberFromEnv('GLACIER_RETRY_ATTEMPTS', 25, 1),
  baseDelayMs: wholeNumberFromEnv('GLACIER_RETRY_BASE_MS', 500, 0),
  maxDelayMs: 60_000,
};

const RETRYABLE_CODES = new Set([
  'RequestTimeoutException',
  'ServiceUnavailableException',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'SlowDown',
  'RequestTimeout',
  'TimeoutError',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
]);

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

export function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (e.name !== undefined && RETRYABLE_CODES.has(e.name)) return true;
  if (e.code !== undefined && RETRYABLE_NETWORK_CODES.has(e.code)) return true;
  if (e.$retryable !== undefined) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status === 408 || status === 429 || (status !== undefined && status >= 500)) return true;
  // A connection dropped before any response: the SDK rethrows the socket error as is.
  return e.$metadata === undefined && e.name === 'Error' && /socket hang up|aborted|ECONNRESET/i.test(String((error as Error).message));
}

function describe(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const what = e.code ?? (e.name !== 'Error' ? e.name : undefined) ?? 'error';
  return status !== undefined ? `${what} (HTTP ${status})` : `${what}: ${e.message ?? ''}`.trim();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Run `operation` until it succeeds, a non-retryable error occurs, or attempts run out. */
export async function withRetry<T>(
  label: string,
  operation: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= policy.attempts || !isRetryable(error)) throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
      warn(`${label}: ${describe(error)}; retry ${attempt} of ${policy.attempts - 1} in ${(delay / 1000).toFixed(1)} s`);
      await sleep(delay);
    }
  }
}
