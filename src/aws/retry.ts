// The one retry layer: every Glacier request, its answer's body included, is attempted
// here and nowhere else. The SDK's own retries are off. Patience fits the failure:
// - until the endpoint has answered once in this process, a failure to connect (refused,
//   DNS, no route, TLS, proxy) gets UNREACHABLE_POLICY's few quick attempts, so a wrong
//   endpoint or a dead network fails in seconds with one line naming the endpoint;
// - once it has answered, timeouts, resets, 408, 429, 5xx and throttling are retried with
//   exponential backoff and jitter for minutes (DEFAULT_RETRY_POLICY);
// - a body that arrived whole but differs from what Glacier said of it (BodyMismatch) is
//   fetched again at once, at most MISMATCH_ATTEMPTS times;
// - an untrusted certificate, a proxy that refuses us, and every other refusal: never.
// Each retry is reported on stderr as a warning.
import { FailureError, VerificationError } from '../errors.js';
import { currentAttempt } from './http/exchangeLog.js';
import { nameNetworkFailure, NetworkFailure } from './http/networkFailure.js';

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

/** Before the endpoint ever answered: 3 attempts, 0.5 and 1 s apart. */
export const UNREACHABLE_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 2000 };

export const MISMATCH_ATTEMPTS = 5;

/** A body that arrived whole but is not what Glacier said it sent (length, tree hash). */
export class BodyMismatch extends Error {}

const RETRYABLE_NAMES = new Set([
  'RequestTimeoutException',
  'ServiceUnavailableException',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'SlowDown',
  'RequestTimeout',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
]);

/** Answers that are final whatever their status: no expedited capacity now is news, not an outage. */
const FINAL_NAMES = new Set(['InsufficientCapacityException']);

/**
 * answer: a transient answer from Glacier; network: no answer, or one cut off; mismatch:
 * a BodyMismatch; final: anything else, never retried.
 */
export type FailureClass = 'answer' | 'network' | 'mismatch' | 'final';

export function classify(error: unknown): FailureClass {
  if (error instanceof BodyMismatch) return 'mismatch';
  const named = nameNetworkFailure(error);
  if (named !== undefined) return named.kind === 'untrusted' || named.kind === 'refused-by-proxy' ? 'final' : 'network';
  if (typeof error !== 'object' || error === null) return 'final';
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e.name !== undefined && FINAL_NAMES.has(e.name)) return 'final';
  if (e.name !== undefined && RETRYABLE_NAMES.has(e.name)) return 'answer';
  const status = e.$metadata?.httpStatusCode;
  if (status === 408 || status === 429 || (status !== undefined && status >= 500)) return 'answer';
  return 'final';
}

export function isRetryable(error: unknown): boolean {
  return classify(error) !== 'final';
}

export interface Decision {
  retry: boolean;
  delayMs: number;
  /** Attempts this kind of failure gets in all. */
  limit: number;
}

/**
 * Whether to try again after `attempt` failed with `error` (`mismatches` of the attempts so
 * far, this one included, were BodyMismatches), and after how long.
 */
export function decide(error: unknown, attempt: number, mismatches: number, answered: boolean, policy: RetryPolicy, random = Math.random): Decision {
  const kind = classify(error);
  if (kind === 'final') return { retry: false, delayMs: 0, limit: attempt };
  if (kind === 'mismatch') {
    const limit = Math.min(MISMATCH_ATTEMPTS, policy.attempts);
    return { retry: mismatches < limit && attempt < policy.attempts, delayMs: 0, limit };
  }
  const pace = kind === 'network' && !answered ? UNREACHABLE_POLICY : policy;
  const limit = Math.min(pace.attempts, policy.attempts);
  const ceiling = Math.min(pace.maxDelayMs, pace.baseDelayMs * 2 ** (attempt - 1));
  return { retry: attempt < limit, delayMs: Math.round(ceiling / 2 + (random() * ceiling) / 2), limit };
}

/** A failure as one short phrase: "connection reset", "ThrottlingException (HTTP 400)". */
export function describeFailure(error: unknown): string {
  const named = nameNetworkFailure(error);
  if (named !== undefined) return named.text;
  const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const what = e.code ?? (e.name !== 'Error' ? e.name : undefined) ?? 'error';
  return status !== undefined ? `${what} (HTTP ${status})` : `${what}: ${e.message ?? ''}`.trim();
}

export interface RetrySettings {
  policy: RetryPolicy;
  /** Whether the endpoint has answered once in this process. */
  answered: () => boolean;
  warn: (text: string) => void;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The attempts of one request: counts them, reports retries, waits, and gives up. */
export class Attempts {
  attempt = 1;
  #mismatches = 0;
  readonly #settings: RetrySettings;

  constructor(
    readonly label: string,
    settings: RetrySettings,
  ) {
    this.#settings = settings;
  }

  /** Runs one attempt, named for --debug lines. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return currentAttempt.run(this.attempt, work);
  }

  /** After a failed attempt: waits before the next one, or throws what to give up with. */
  async failed(error: unknown, label = this.label): Promise<void> {
    if (error instanceof BodyMismatch) this.#mismatches++;
    const { policy, answered, warn } = this.#settings;
    const decision = decide(error, this.attempt, this.#mismatches, answered(), policy);
    if (!decision.retry) throw this.#givingUp(error, label);
    if (error instanceof BodyMismatch) {
      warn(`${label}: ${error.message}; fetching it again (attempt ${this.#mismatches + 1} of ${decision.limit})`);
    } else {
      warn(`${label}: ${describeFailure(error)}; retry ${this.attempt} of ${decision.limit - 1} in ${(decision.delayMs / 1000).toFixed(1)} s`);
    }
    this.attempt++;
    await sleep(decision.delayMs);
  }

  /** Progress was made: the next failure starts a fresh count. */
  reset(): void {
    this.attempt = 1;
    this.#mismatches = 0;
  }

  #givingUp(error: unknown, label: string): unknown {
    if (error instanceof BodyMismatch) {
      return new VerificationError(`${label} failed verification ${this.#mismatches} times (${error.message}); nothing unverified was delivered`);
    }
    if (classify(error) !== 'network' && !(error instanceof NetworkFailure)) return error;
    const text = describeFailure(error);
    if (error instanceof NetworkFailure && !this.#settings.answered()) return new FailureError(`cannot reach Glacier at ${error.endpoint}: ${text}`);
    const tries = this.attempt > 1 ? `; gave up after ${this.attempt} attempts` : '';
    return new FailureError(`${label}: ${text}${tries}`);
  }
}

/** Runs `work` until it succeeds or Attempts gives up. */
export async function withRetry<T>(label: string, work: () => Promise<T>, settings: RetrySettings): Promise<T> {
  const attempts = new Attempts(label, settings);
  for (;;) {
    try {
      return await attempts.run(work);
    } catch (error) {
      await attempts.failed(error);
    }
  }
}
