// Fault injection rules, from --fault and POST /_emulator/faults. Syntax (man page):
//   OPERATION:KIND[:count=N][:p=P][:skip=K][:ms=MS]
// OPERATION is an operation name or '*'; KIND is 500, 408, throttle, 503, reset,
// truncate, corrupt, misreport, delay or trickle. Without count or p a rule applies to every match.
import { GlacierError } from './errors.js';
import { operationNamed, type Operation } from './operations.js';

export type FaultKind = '500' | '408' | 'throttle' | '503' | 'reset' | 'truncate' | 'corrupt' | 'misreport' | 'delay' | 'trickle';
const KINDS: readonly FaultKind[] = ['500', '408', 'throttle', '503', 'reset', 'truncate', 'corrupt', 'misreport', 'delay', 'trickle'];

export interface FaultRule {
  spec: string;
  operation: Operation | '*';
  kind: FaultKind;
  /** Matching requests still to hit; undefined = unlimited. */
  remaining: number | undefined;
  probability: number | undefined;
  /** Matching requests to let through before the rule starts firing. */
  skip: number;
  delayMs: number;
}

export class FaultSpecError extends Error {}

export function parseFaultSpec(spec: string): FaultRule {
  const [operationName, kindName, ...options] = spec.split(':');
  if (operationName === undefined || kindName === undefined) throw new FaultSpecError(`fault '${spec}' needs OPERATION:KIND`);
  const operation = operationName === '*' ? '*' : operationNamed(operationName);
  if (operation === undefined) throw new FaultSpecError(`fault '${spec}': unknown operation '${operationName}'`);
  const kind = KINDS.find((known) => known === kindName);
  if (kind === undefined) throw new FaultSpecError(`fault '${spec}': unknown kind '${kindName}' (one of ${KINDS.join(', ')})`);
  const rule: FaultRule = { spec, operation, kind, remaining: undefined, probability: undefined, skip: 0, delayMs: 1000 };
  for (const option of options) {
    const [key, value] = option.split('=');
    const number = Number(value);
    if (value === undefined || value === '' || !Number.isFinite(number) || number < 0) {
      throw new FaultSpecError(`fault '${spec}': bad option '${option}'`);
    }
    if (key === 'count' && Number.isInteger(number)) rule.remaining = number;
    else if (key === 'p' && number <= 1) rule.probability = number;
    else if (key === 'skip' && Number.isInteger(number)) rule.skip = number;
    else if (key === 'ms') rule.delayMs = number;
    else throw new FaultSpecError(`fault '${spec}': bad option '${option}'`);
  }
  return rule;
}

export class FaultInjector {
  #rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.#rules.push(rule);
  }

  clear(): void {
    this.#rules = [];
  }

  list(): FaultRule[] {
    return [...this.#rules];
  }

  /** The faults that fire for this request; each rule's counters advance. */
  draw(operation: Operation): FaultRule[] {
    const fired: FaultRule[] = [];
    for (const rule of this.#rules) {
      if (rule.operation !== '*' && rule.operation !== operation) continue;
      if (rule.remaining === 0) continue;
      if (rule.skip > 0) {
        rule.skip--;
        continue;
      }
      if (rule.probability !== undefined && Math.random() >= rule.probability) continue;
      if (rule.remaining !== undefined) rule.remaining--;
      fired.push(rule);
    }
    this.#rules = this.#rules.filter((rule) => rule.remaining !== 0);
    return fired;
  }
}

/** The error an error-kind fault answers with, or undefined for the other kinds. */
export function faultError(kind: FaultKind): GlacierError | undefined {
  switch (kind) {
    case '500':
      return new GlacierError(500, 'ServiceUnavailableException', 'Service is unavailable. Please try again later.');
    case '408':
      return new GlacierError(408, 'RequestTimeoutException', 'Request timed out.');
    case 'throttle':
      return new GlacierError(400, 'ThrottlingException', 'Rate exceeded');
    case '503':
      return new GlacierError(503, 'InsufficientCapacityException', 'There is insufficient capacity to process this expedited request.');
    default:
      return undefined;
  }
}
