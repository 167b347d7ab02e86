/**
 * Group commit: concurrent callers of one write are gathered into batches that a single function
 * runs together (typically one transaction with set-based statements), instead of one transaction
 * each. There is no waiting window: a call starts a batch at once when fewer than `inFlight` batches
 * are running, otherwise it joins the next batch, which starts as soon as a running one ends. So a
 * lone caller pays nothing, and under load the batches grow with the load.
 *
 * One batch in flight by default: measured at 8 concurrent clients on 2 cores, it made batches of
 * about 4 (two in flight: 2.4) and cost PostgreSQL less CPU per item than two in flight.
 *
 * `run` receives the items and returns one outcome per item (in order): a value or the error for
 * that item alone. If `run` throws for a batch of several items, each is run again alone (so one
 * bad item fails by itself); if it throws for a single item, that item fails with the error.
 */
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export type GroupCommitOptions<I> = {
  maxBatch?: number;
  inFlight?: number;
  /** With maxWeight: a batch stops before the item that would take its total weight past maxWeight (its first item always goes). */
  weigh?: (item: I) => number;
  maxWeight?: number;
};

export function groupCommit<I, O>(run: (items: I[]) => Promise<Array<Outcome<O>>>, options: GroupCommitOptions<I> = {}): (item: I) => Promise<O> {
  const maxBatch = Math.max(1, options.maxBatch ?? 64);
  const inFlight = Math.max(1, options.inFlight ?? 1);
  const queue: Array<{ item: I; resolve: (value: O) => void; reject: (error: unknown) => void }> = [];
  let running = 0;

  async function runBatch(batch: typeof queue, release: () => void = () => {}): Promise<void> {
    try {
      const outcomes = await run(batch.map((entry) => entry.item));
      const next = queue.length > 0;
      release(); // the next batch starts before these callers are answered
      const settle = () =>
        batch.forEach((entry, index) => {
          const outcome = outcomes[index];
          if (!outcome) entry.reject(new Error('group commit: no outcome for an item'));
          else if (outcome.ok) entry.resolve(outcome.value);
          else entry.reject(outcome.error);
        });
      // The next batch reaches the database through several awaits (pool, driver), each a microtask
      // queued behind these callers' continuations (an HTTP response each: serialised and written)
      // if they were settled now. Settled in the next macrotask, they run once its statement is sent:
      // measured at 8 concurrent creations, the statement left 0.15 ms sooner, of a ~1.6 ms cycle.
      if (next) setImmediate(settle);
      else settle();
    } catch (error) {
      // One item the database refuses must not fail the others: each is run again on its own.
      if (batch.length === 1) batch[0]!.reject(error);
      else await Promise.all(batch.map((entry) => runBatch([entry])));
    }
  }

  function takeBatch(): typeof queue {
    let count = Math.min(maxBatch, queue.length);
    if (options.weigh && options.maxWeight !== undefined) {
      let weight = 0;
      for (let index = 0; index < count; index++) {
        weight += options.weigh(queue[index]!.item);
        if (index > 0 && weight > options.maxWeight) {
          count = index;
          break;
        }
      }
    }
    return queue.splice(0, count);
  }

  function pump(): void {
    while (running < inFlight && queue.length > 0) {
      running++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        running--;
        pump();
      };
      void runBatch(takeBatch(), release).finally(release);
    }
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      pump();
    });
}
