// Per-account, per-region operations: GetDataRetrievalPolicy, SetDataRetrievalPolicy,
// PurchaseProvisionedCapacity and ListProvisionedCapacity.
import { isoDate } from '../clock.js';
import { GlacierError, invalidParameter } from '../errors.js';
import { parseJsonBody, sendEmpty, sendJson } from '../http.js';
import { randomId } from '../ids.js';
import type { GlacierRequest } from '../request.js';
import type { CapacityUnit, DataRetrievalRule } from '../store/account.js';

/** At most two provisioned capacity units per account. */
const MAX_CAPACITY_UNITS = 2;

export async function getDataRetrievalPolicy(request: GlacierRequest): Promise<void> {
  const account = await request.ctx.accounts.read(request.region);
  sendJson(request.res, 200, { Policy: { Rules: account.rules } });
}

function checkRules(policy: unknown): DataRetrievalRule[] {
  if (policy === undefined || policy === null) return [{ Strategy: 'None' }];
  const rules = (policy as { Rules?: unknown }).Rules;
  if (typeof policy !== 'object' || !Array.isArray(rules) || rules.length !== 1) {
    throw invalidParameter('Invalid data retrieval policy: Rules must hold exactly one rule');
  }
  const rule = rules[0] as Record<string, unknown>;
  const strategy = rule['Strategy'];
  const bytes = rule['BytesPerHour'];
  if (strategy === 'BytesPerHour') {
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 1) {
      throw invalidParameter(`Invalid BytesPerHour: ${JSON.stringify(bytes)}. It must be a whole number of bytes from 1 up`);
    }
    return [{ Strategy: 'BytesPerHour', BytesPerHour: bytes }];
  }
  if (strategy === 'FreeTier' || strategy === 'None') {
    if (bytes !== undefined && bytes !== null) throw invalidParameter(`BytesPerHour applies to the BytesPerHour strategy only, not ${strategy}`);
    return [{ Strategy: strategy }];
  }
  throw invalidParameter(`Invalid Strategy: ${JSON.stringify(strategy)}. Valid values are BytesPerHour, FreeTier, None`);
}

export async function setDataRetrievalPolicy(request: GlacierRequest): Promise<void> {
  const { ctx } = request;
  const rules = checkRules(parseJsonBody(request.body)['Policy']);
  await ctx.accounts.update(request.region, ctx.clock.now(), (account) => {
    account.rules = rules;
  });
  sendEmpty(request.res, 204);
}

/** A unit bought now runs one calendar month. */
function monthLater(ms: number): number {
  const date = new Date(ms);
  date.setUTCMonth(date.getUTCMonth() + 1);
  return date.getTime();
}

export function liveUnits(units: CapacityUnit[], now: number): CapacityUnit[] {
  return units.filter((unit) => unit.expirationDate > now);
}

export async function purchaseProvisionedCapacity(request: GlacierRequest): Promise<void> {
  const { ctx } = request;
  const now = ctx.clock.now();
  const unit = await ctx.accounts.update(request.region, now, (account) => {
    account.capacity = liveUnits(account.capacity, now);
    if (account.capacity.length >= MAX_CAPACITY_UNITS) {
      throw new GlacierError(400, 'LimitExceededException', `You have reached the limit of ${MAX_CAPACITY_UNITS} provisioned capacity units`);
    }
    const bought: CapacityUnit = { id: randomId(24), startDate: now, expirationDate: monthLater(now) };
    account.capacity.push(bought);
    return bought;
  });
  sendEmpty(request.res, 201, { 'x-amz-capacity-id': unit.id });
}

export async function listProvisionedCapacity(request: GlacierRequest): Promise<void> {
  const { ctx } = request;
  const account = await ctx.accounts.read(request.region);
  sendJson(request.res, 200, {
    ProvisionedCapacityList: liveUnits(account.capacity, ctx.clock.now()).map((unit) => ({
      CapacityId: unit.id,
      StartDate: isoDate(unit.startDate),
      ExpirationDate: isoDate(unit.expirationDate),
    })),
  });
}
