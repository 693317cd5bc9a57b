// --debug / GLACIER_DEBUG=1: one line per HTTP exchange, naming the operation (set around
// each SDK command) and attempt (set by the retry layer), method and path, status, bytes
// each way, time to the answer and the proxy used. Never headers: they carry the
// signature and the token.
import { AsyncLocalStorage } from 'node:async_hooks';

export const currentAttempt = new AsyncLocalStorage<number>();
export const currentOperation = new AsyncLocalStorage<string>();

export function debugEnabled(): boolean {
  const value = process.env.GLACIER_DEBUG;
  return value !== undefined && value !== '' && value !== '0';
}

export interface Exchange {
  method: string;
  path: string;
  /** The answer's status, or the failure's text. */
  outcome: number | string;
  sent: number;
  received: number | undefined;
  startedAt: number;
  proxy: string;
}

export function exchangeLine(exchange: Exchange): string {
  const attempt = currentAttempt.getStore();
  const who = `${currentOperation.getStore() ?? 'request'}${attempt === undefined ? '' : ` attempt ${attempt}`}`;
  const outcome = typeof exchange.outcome === 'number' ? `-> ${exchange.outcome}` : `-> failed: ${exchange.outcome}`;
  const received = exchange.received === undefined ? '' : `, received ${exchange.received} bytes`;
  const ms = Math.round(performance.now() - exchange.startedAt);
  return `${who}: ${exchange.method} ${exchange.path} ${outcome} in ${ms} ms (sent ${exchange.sent} bytes${received}, ${exchange.proxy === 'direct' ? 'direct' : `proxy ${exchange.proxy}`})`;
}
