// Several archives delivered at once, so that a vault of small archives is not paced by
// one archive's round trips: deliveries start while the memory they may hold (their
// buffers) fits the budget, and one always may.
export class DeliveryPool {
  readonly #budget: number;
  readonly #running = new Set<Promise<void>>();
  #used = 0;

  constructor(budgetBytes: number) {
    this.#budget = budgetBytes;
  }

  /** Waits for room, then starts `work` (which must not reject) and returns. */
  async start(cost: number, work: () => Promise<void>): Promise<void> {
    while (this.#running.size > 0 && this.#used + cost > this.#budget) await Promise.race(this.#running);
    this.#used += cost;
    const task = work().finally(() => {
      this.#used -= cost;
      this.#running.delete(task);
    });
    this.#running.add(task);
  }

  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.race(this.#running);
  }
}
