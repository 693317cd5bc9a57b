// Command-line options of glacier-emulator (man/glacier-emulator.1 documents each).
import mri from 'mri';

export interface TierDelays {
  Expedited: number;
  Standard: number;
  Bulk: number;
}

export interface EmulatorOptions {
  host: string;
  port: number;
  /** undefined: a fresh temporary directory. */
  dataDir: string | undefined;
  accountId: string;
  /** Seconds from initiation to completion, per retrieval tier. */
  tierDelays: TierDelays;
  inventoryDelay: number;
  /** Minimum seconds between two inventory snapshots of one vault. */
  inventoryInterval: number;
  /** Seconds a completed job lives on. */
  jobTtl: number;
  /** Expedited retrievals fail with InsufficientCapacityException without provisioned capacity. */
  expeditedNeedsCapacity: boolean;
  /** Bytes a day that the FreeTier data retrieval policy lets through. */
  freeTierBytesPerDay: number;
  faults: string[];
  quiet: boolean;
}

export class UsageError extends Error {}

const VALUE_FLAGS = [
  'host',
  'port',
  'data',
  'account-id',
  'job-delay',
  'expedited-delay',
  'standard-delay',
  'bulk-delay',
  'inventory-delay',
  'inventory-interval',
  'job-ttl',
  'free-tier-bytes',
  'fault',
];
const BOOLEAN_FLAGS = ['quiet', 'help', 'version', 'expedited-needs-capacity'];

export const USAGE = `usage: glacier-emulator [--host 127.0.0.1] [--port N|0] [--data DIR] [--account-id ID]
       [--job-delay S] [--expedited-delay S] [--standard-delay S] [--bulk-delay S]
       [--inventory-delay S] [--inventory-interval S] [--job-ttl S] [--expedited-needs-capacity]
       [--free-tier-bytes N] [--fault SPEC]... [--quiet] [--version]`;

/** The free retrieval allowance, 10 GiB a month, prorated daily. */
export const DEFAULT_FREE_TIER_BYTES_PER_DAY = Math.floor((10 * 1024 ** 3) / 30);

/** Glacier regenerates a vault's inventory about once a day. */
export const DEFAULT_INVENTORY_INTERVAL = 24 * 3600;

export function parseOptions(argv: string[]): EmulatorOptions & { help: boolean; version: boolean } {
  const unknown: string[] = [];
  const parsed = mri(argv, {
    string: VALUE_FLAGS,
    boolean: BOOLEAN_FLAGS,
    // mri's strict mode knows only the names listed as aliases.
    alias: Object.fromEntries([...VALUE_FLAGS, ...BOOLEAN_FLAGS].map((flag) => [flag, [] as string[]])),
    unknown: (flag) => {
      unknown.push(flag);
    },
  });
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown[0]}`);
  if (parsed._.length > 0) throw new UsageError(`unexpected argument '${parsed._[0]}'`);

  const single = (name: string): string | undefined => {
    // mri gives a string for a value flag, an array when it is repeated: the last one counts.
    const value = parsed[name] as string | boolean | (string | boolean)[] | undefined;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    return last === undefined ? undefined : String(last);
  };
  const amount = (name: string, fallback: number, unit: string): number => {
    const text = single(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
      throw new UsageError(`--${name} needs a number of ${unit} >= 0, not '${text}'`);
    }
    return value;
  };
  const seconds = (name: string, fallback: number): number => amount(name, fallback, 'seconds');

  const portText = single('port') ?? '0';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`bad --port '${portText}'`);

  const accountId = single('account-id') ?? '123456789012';
  if (!/^\d{12}$/.test(accountId)) throw new UsageError(`--account-id needs 12 digits, not '${accountId}'`);

  const jobDelay = single('job-delay') === undefined ? undefined : seconds('job-delay', 0);
  const faultValue: unknown = parsed['fault'];
  const faults = faultValue === undefined ? [] : (Array.isArray(faultValue) ? faultValue : [faultValue]).map(String);

  return {
    host: single('host') ?? '127.0.0.1',
    port,
    dataDir: single('data'),
    accountId,
    tierDelays: {
      Expedited: seconds('expedited-delay', jobDelay ?? 1),
      Standard: seconds('standard-delay', jobDelay ?? 3),
      Bulk: seconds('bulk-delay', jobDelay ?? 5),
    },
    inventoryDelay: seconds('inventory-delay', jobDelay ?? 3),
    inventoryInterval: seconds('inventory-interval', DEFAULT_INVENTORY_INTERVAL),
    jobTtl: seconds('job-ttl', 24 * 3600),
    expeditedNeedsCapacity: parsed['expedited-needs-capacity'] === true,
    freeTierBytesPerDay: Math.floor(amount('free-tier-bytes', DEFAULT_FREE_TIER_BYTES_PER_DAY, 'bytes')),
    faults,
    quiet: parsed['quiet'] === true,
    help: parsed['help'] === true,
    version: parsed['version'] === true,
  };
}
