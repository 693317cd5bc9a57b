// Enforcement of the data retrieval policy on archive retrievals (InitiateJob):
//   BytesPerHour: a retrieval's bytes count as spread evenly over the 4 hours after it was
//     initiated; a job that would lift that rate above the limit is refused.
//   FreeTier: retrievals of one UTC day (emulator clock) may add up to the free allowance
//     (--free-tier-bytes; by default 10 GiB a month prorated daily), no more.
//   None: no limit.
// A refused job gets PolicyEnforcedException, as on Glacier.
import { GlacierError } from './errors.js';
import type { AccountRegion, DataRetrievalRule } from './store/account.js';

const SPREAD_MS = 4 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

function policyEnforced(): GlacierError {
  return new GlacierError(400, 'PolicyEnforcedException', 'InitiateJob request denied by current data retrieval policy.');
}

export function checkRetrievalAllowed(account: AccountRegion, bytes: number, now: number, freeTierBytesPerDay: number): void {
  const rule: DataRetrievalRule = account.rules[0] ?? { Strategy: 'None' };
  if (rule.Strategy === 'BytesPerHour') {
    const recent = account.retrievals.filter((retrieval) => retrieval.date > now - SPREAD_MS).reduce((sum, retrieval) => sum + retrieval.bytes, 0);
    if ((recent + bytes) / 4 > (rule.BytesPerHour ?? 0)) throw policyEnforced();
  } else if (rule.Strategy === 'FreeTier') {
    const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
    const today = account.retrievals.filter((retrieval) => retrieval.date >= dayStart).reduce((sum, retrieval) => sum + retrieval.bytes, 0);
    if (today + bytes > freeTierBytesPerDay) throw policyEnforced();
  }
}
