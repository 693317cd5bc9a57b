// --dry-run: what the migration would take, from the cache alone: no job, no write.
// Printed on stdout, since it is what the command was asked for.
import type { GlacierCache } from '../cache/glacierCache.js';
import type { VaultScope } from '../cache/records.js';
import { cacheAgeHours } from '../sync/freshCache.js';
import type { Tier } from '../retrieve/tier.js';
import { describeDestination, type MigrationDestination } from './destination.js';
import { segmentSizeFor } from './deliverArchive.js';
import type { PriceTable } from './prices.js';
import type { Shard } from './shard.js';
import { ASSUMED_BYTES_PER_SECOND } from './migrationRound.js';
import { vaultArchives } from './vaultArchives.js';
import { bytesText } from './bytesText.js';

export interface DryRunSettings {
  destination: MigrationDestination;
  storageClass: string;
  tier: Tier;
  shard: Shard | undefined;
  maxAgeHours: number;
  prices: PriceTable;
  /** --limit-rate, bytes per second. */
  rate: number | undefined;
}

const GiB = 1024 ** 3;
const TIERS: Tier[] = ['Expedited', 'Standard', 'Bulk'];

export async function dryRunReport(cache: GlacierCache, scope: VaultScope, settings: DryRunSettings): Promise<string> {
  const { destination, prices } = settings;
  let archives = 0;
  let bytes = 0;
  let done = 0;
  let doneBytes = 0;
  let s3Requests = 0;
  for await (const archive of vaultArchives(cache, scope, settings.shard)) {
    const size = archive.size ?? 0;
    const status = cache.migration(scope, destination.id, archive.id)?.status;
    if (status === 'done' || status === 'deleted') {
      done++;
      doneBytes += size;
      continue;
    }
    archives++;
    bytes += size;
    // CreateMultipartUpload, the parts, CompleteMultipartUpload.
    s3Requests += Math.max(1, Math.ceil(size / segmentSizeFor(size, destination))) + 2;
  }
  const gib = bytes / GiB;
  const money = (dollars: number): string => `$${dollars < 10 ? dollars.toFixed(4) : dollars.toFixed(2)}`;
  const retrievalCost = (tier: Tier): number => gib * prices.retrieval[tier].perGiB + (archives / 1000) * prices.retrieval[tier].per1000Requests;
  const lines = [
    `vault ${scope.vault} (${scope.region}) to ${describeDestination(destination)}${destination.kind === 's3' ? ` as ${settings.storageClass}` : ''}${settings.shard !== undefined ? `, shard ${settings.shard.index}/${settings.shard.count}` : ''}`,
    `archives: ${archives} to migrate (${bytesText(bytes)}), ${done} already done (${bytesText(doneBytes)})`,
    `requests: ${archives} Glacier retrieval jobs${destination.kind === 's3' ? `, ${s3Requests} S3 write requests` : ''}`,
    `retrieval cost: ${TIERS.map((tier) => `${tier.toLowerCase()} ${money(retrievalCost(tier))}`).join(', ')} (chosen: ${settings.tier.toLowerCase()})`,
  ];
  const storage = destination.kind === 's3' ? prices.s3[settings.storageClass] : undefined;
  if (destination.kind === 's3') lines.push(`S3 request cost: ${storage === undefined ? `unknown for ${settings.storageClass}` : money((s3Requests / 1000) * storage.putPer1000)}`);
  const monthly = `storage per month: in the vault ${money(gib * prices.vaultPerGiBMonth)}`;
  lines.push(destination.kind === 's3' ? `${monthly}, in ${settings.storageClass} ${storage === undefined ? 'unknown' : money(gib * storage.perGiBMonth)}` : monthly);
  const rate = settings.rate ?? cache.migrationRate(scope, destination.id);
  const transferHours = bytes / (rate ?? ASSUMED_BYTES_PER_SECOND) / 3600;
  const [fastest, slowest] = prices.retrieval[settings.tier].hours;
  lines.push(
    `expected duration: ${hoursText(fastest + transferHours)} to ${hoursText(slowest + transferHours)} (jobs of the ${settings.tier.toLowerCase()} tier, then ${bytesText(bytes)} at ${bytesText(rate ?? ASSUMED_BYTES_PER_SECOND)}/s${rate === undefined ? ', assumed' : ''})`,
  );
  lines.push(`prices: ${prices.region} as of ${prices.date}; --prices FILE for others`);
  const age = cacheAgeHours(cache, scope);
  if (age === undefined || age > settings.maxAgeHours)
    lines.push(
      `note: the cache ${age === undefined ? 'was never synced' : `was synced ${age.toFixed(1)} h ago`}: archives uploaded elsewhere may be missing; run 'glacier vault sync ${scope.vault}'`,
    );
  return `${lines.join('\n')}\n`;
}

function hoursText(hours: number): string {
  return hours < 1 ? `${Math.max(1, Math.round(hours * 60))} min` : `${hours.toFixed(1)} h`;
}
