// Access and vault lock policies: IAM policy documents checked when stored, and their
// Deny statements enforced. The emulator has one caller, the account itself, so Allow
// statements grant nothing new; a Deny that matches the action, the vault and its
// conditions refuses the request with AccessDeniedException, as Glacier does.
import { GlacierError, invalidParameter } from './errors.js';

const MAX_POLICY_BYTES = 20 * 1024;

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string[];
  NotAction: string[] | undefined;
  Resource: string[];
  Condition: Record<string, Record<string, unknown>>;
}

export interface RequestFacts {
  /** e.g. glacier:DeleteArchive */
  action: string;
  vaultArn: string;
  /** Condition keys and their values, e.g. glacier:ArchiveAgeInDays. */
  keys: Record<string, number | string>;
}

function list(value: unknown, what: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) return value;
  throw invalidParameter(`Invalid policy: ${what} must be a string or a list of strings`);
}

/** Parses and checks a policy document; throws InvalidParameterValueException. */
export function parsePolicy(text: unknown): Statement[] {
  if (typeof text !== 'string' || text === '') throw new GlacierError(400, 'MissingParameterValueException', 'Required parameter is missing: Policy');
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) throw invalidParameter('Invalid policy: a policy can be up to 20 KB');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw invalidParameter('Invalid policy: the policy is not valid JSON');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw invalidParameter('Invalid policy: the policy must be a JSON object');
  const raw = (document as Record<string, unknown>)['Statement'];
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (statements.length === 0) throw invalidParameter('Invalid policy: the policy has no Statement');
  return statements.map((item: unknown) => {
    if (typeof item !== 'object' || item === null) throw invalidParameter('Invalid policy: a Statement must be an object');
    const statement = item as Record<string, unknown>;
    const effect = statement['Effect'];
    if (effect !== 'Allow' && effect !== 'Deny') throw invalidParameter('Invalid policy: Effect must be Allow or Deny');
    if (statement['Principal'] === undefined && statement['NotPrincipal'] === undefined) throw invalidParameter('Invalid policy: a Statement needs a Principal');
    const hasAction = statement['Action'] !== undefined;
    if (hasAction === (statement['NotAction'] !== undefined)) throw invalidParameter('Invalid policy: a Statement needs exactly one of Action and NotAction');
    const condition = statement['Condition'] ?? {};
    if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) throw invalidParameter('Invalid policy: Condition must be an object');
    return {
      Effect: effect,
      Action: hasAction ? list(statement['Action'], 'Action') : [],
      NotAction: hasAction ? undefined : list(statement['NotAction'], 'NotAction'),
      Resource: list(statement['Resource'] ?? '*', 'Resource'),
      Condition: condition as Record<string, Record<string, unknown>>,
    };
  });
}

/** IAM wildcards: * any run of characters, ? one character; case-insensitive for actions. */
function matches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

const NUMERIC: Record<string, (actual: number, expected: number) => boolean> = {
  NumericEquals: (a, b) => a === b,
  NumericNotEquals: (a, b) => a !== b,
  NumericLessThan: (a, b) => a < b,
  NumericLessThanEquals: (a, b) => a <= b,
  NumericGreaterThan: (a, b) => a > b,
  NumericGreaterThanEquals: (a, b) => a >= b,
};
const STRING: Record<string, (actual: string, expected: string) => boolean> = {
  StringEquals: (a, b) => a === b,
  StringNotEquals: (a, b) => a !== b,
  StringLike: (a, b) => matches(b, a, false),
  StringNotLike: (a, b) => !matches(b, a, false),
};

/** A condition block holds when every operator's every key holds for some listed value.
 * A key the request does not carry makes the condition false. */
function conditionHolds(condition: Record<string, Record<string, unknown>>, facts: RequestFacts): boolean {
  for (const [operator, tests] of Object.entries(condition)) {
    for (const [key, expected] of Object.entries(tests ?? {})) {
      const actual = facts.keys[key] ?? facts.keys[key.toLowerCase()];
      if (actual === undefined) return false;
      const values = Array.isArray(expected) ? expected : [expected];
      const numeric = NUMERIC[operator];
      const string = STRING[operator];
      if (numeric !== undefined) {
        if (!values.some((value) => numeric(Number(actual), Number(value)))) return false;
      } else if (string !== undefined) {
        if (!values.some((value) => string(String(actual), String(value)))) return false;
      } else {
        return false;
      }
    }
  }
  return true;
}

/** True when a Deny statement of the policy applies to the request. */
export function denies(policyText: string, facts: RequestFacts): boolean {
  return parsePolicy(policyText).some(
    (statement) =>
      statement.Effect === 'Deny' &&
      (statement.NotAction === undefined
        ? statement.Action.some((pattern) => matches(pattern, facts.action, true))
        : !statement.NotAction.some((pattern) => matches(pattern, facts.action, true))) &&
      statement.Resource.some((pattern) => matches(pattern, facts.vaultArn, false)) &&
      conditionHolds(statement.Condition, facts),
  );
}

export function accessDenied(facts: RequestFacts): GlacierError {
  return new GlacierError(403, 'AccessDeniedException', `User is not authorized to perform: ${facts.action} on resource: ${facts.vaultArn} with an explicit deny`);
}
