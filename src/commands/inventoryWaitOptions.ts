// --max-age and --poll-interval, as vault sync and the commands that sync first take them
// (archive checkpresent, vault purge); each command has its own default age.
import { numberOption } from '../cli/parseCommandLine.js';
import { UsageError } from '../errors.js';
import { INVENTORY_POLL_SECONDS } from '../sync/inventoryPoll.js';

export interface InventoryWait {
  maxAgeHours: number;
  pollIntervalSeconds: number;
}

export function inventoryWaitOptions(options: { 'max-age'?: string; 'poll-interval'?: string }, defaultMaxAgeHours: number): InventoryWait {
  const maxAgeHours = numberOption(options['max-age'], 'max-age', defaultMaxAgeHours);
  const pollIntervalSeconds = numberOption(options['poll-interval'], 'poll-interval', INVENTORY_POLL_SECONDS);
  if (pollIntervalSeconds <= 0) throw new UsageError('--poll-interval must be more than 0 seconds');
  return { maxAgeHours, pollIntervalSeconds };
}
