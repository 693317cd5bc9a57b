// What Glacier keeps per account and region rather than per vault: the data retrieval
// policy, provisioned capacity units, and the recent archive retrievals that the policy
// is enforced against. One small JSON file per region, DATA/regions/REGION/account.json.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readJson, writeJsonAtomic } from './files.js';

export type RetrievalStrategy = 'BytesPerHour' | 'FreeTier' | 'None';

export interface DataRetrievalRule {
  Strategy: RetrievalStrategy;
  BytesPerHour?: number;
}

export interface CapacityUnit {
  id: string;
  startDate: number;
  expirationDate: number;
}

export interface Retrieval {
  date: number;
  bytes: number;
}

export interface AccountRegion {
  rules: DataRetrievalRule[];
  capacity: CapacityUnit[];
  retrievals: Retrieval[];
}

/** Retrievals older than this no longer count against any policy. */
const RETRIEVAL_MEMORY_MS = 48 * 3600 * 1000;

export class AccountStore {
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(readonly dataDir: string) {}

  #path(region: string): string {
    return join(this.dataDir, 'regions', region, 'account.json');
  }

  async read(region: string): Promise<AccountRegion> {
    const saved = await readJson<Partial<AccountRegion>>(this.#path(region));
    return { rules: saved?.rules ?? [{ Strategy: 'None' }], capacity: saved?.capacity ?? [], retrievals: saved?.retrievals ?? [] };
  }

  /** Reads, changes and saves the region's record, one change at a time. */
  update<T>(region: string, now: number, change: (account: AccountRegion) => T): Promise<T> {
    const work = (this.#queues.get(region) ?? Promise.resolve()).then(async () => {
      const account = await this.read(region);
      account.retrievals = account.retrievals.filter((retrieval) => retrieval.date > now - RETRIEVAL_MEMORY_MS);
      const result = change(account);
      await mkdir(dirname(this.#path(region)), { recursive: true });
      await writeJsonAtomic(this.#path(region), account);
      return result;
    });
    this.#queues.set(
      region,
      work.catch(() => undefined),
    );
    return work;
  }
}
