import { UsageError } from '../errors.js';

export type Tier = 'Expedited' | 'Standard' | 'Bulk';

const TIERS: Record<string, Tier> = { expedited: 'Expedited', standard: 'Standard', bulk: 'Bulk' };

export function parseTier(text: string | undefined): Tier {
  if (text === undefined) return 'Standard';
  const tier = TIERS[text.toLowerCase()];
  if (tier === undefined) throw new UsageError(`--tier takes expedited, standard or bulk, not '${text}'`);
  return tier;
}

/** How often --wait asks: expedited jobs finish in minutes, the others in hours. */
export function defaultPollSeconds(tier: Tier): number {
  return tier === 'Expedited' ? 30 : 600;
}
