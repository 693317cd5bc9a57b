// Runs up to `concurrency` jobs at once and hands results back in order. The next job
// starts as soon as a result is taken, while the caller is still busy with it: at most
// `concurrency` jobs run and one result is being used.

export async function* inOrder<S, R>(items: Iterable<S>, work: (item: S) => Promise<R>, concurrency: number): AsyncGenerator<R> {
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
    startNext();
    yield result;
  }
}
