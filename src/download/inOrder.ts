// Runs up to `concurrency` segment fetches at once and hands results back in segment
// order: a bounded reorder buffer, so at most `concurrency` segments are in memory.

export async function* inOrder<S, R>(
  items: Iterable<S>,
  work: (item: S) => Promise<R>,
  concurrency: number,
): AsyncGenerator<R> {
  const iterator = items[Symbol.iterator]();
  const inFlight: Promise<R>[] = [];
  const startNext = (): void => {
    const next = iterator.next();
    if (next.done === true) return;
    const promise = work(next.value);
    // Awaited in order below; this only keeps a later failure from being reported as
    // unhandled while an earlier segment is still being awaited.
    promise.catch(() => undefined);
    inFlight.push(promise);
  };
  for (let i = 0; i < concurrency; i++) startNext();
  while (inFlight.length > 0) {
    const result = await (inFlight.shift() as Promise<R>);
    yield result;
    startNext();
  }
}
