import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { EventTopic, OutboxEvent } from './outbox.ts';

export type EventHandler = {
  name: string;
  topics: EventTopic[] | '*';
  handle(event: OutboxEvent): Promise<void>;
  /**
   * Optional set-based form: the processor then hands it, once per claimed batch, all the batch's
   * events of its topics (in id order) instead of calling `handle` per event. If it throws, each of
   * those events counts as failed (retried later with every handler: handlers are idempotent).
   */
  handleBatch?(events: OutboxEvent[]): Promise<void>;
};

/** What the outbox processor hands events to: handlers it calls, and at most one relay. */
export type OutboxSubscriber = EventHandler | EventRelay;

/**
 * A subscriber that only passes every event on as a PostgreSQL NOTIFY on its `relayTo` channel (payload
 * `{"id","topic","payload"}`), e.g. realtime. The statement that claims a batch sends them itself,
 * in id order, so they cost no statement, no commit and no JSON work in the process: measured at 8
 * concurrent creations over 12 interleaved runs of 8 s, 2,072 against 1,959 cases/s on average
 * (median 2,061 against 1,974) with a NOTIFY statement per pass built in JavaScript. An event
 * whose payload is too large for a NOTIFY (8,000 bytes) is not relayed; its other handlers run.
 * Like every handler it is at least once: a retried event is relayed again. (Packing several events
 * into one ~8 KB notification was measured slower: 1,810 against 2,119 cases/s, six interleaved runs.)
 */
export type EventRelay = { name: string; topics: '*'; relayTo: string };

const isRelay = (subscriber: OutboxSubscriber): subscriber is EventRelay => 'relayTo' in subscriber;

export type OutboxProcessorOptions = {
  pollIntervalMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  lockSeconds?: number;
  /**
   * Events of one case (same `ticketId`, or same `inboundMailId`) are always handled one after the
   * other in id order; up to this many different cases are handled at once (default 1: strictly in
   * id order). Handlers are written for several app nodes, so in-process concurrency is safe.
   */
  concurrency?: number;
  onError?: (error: unknown, event: OutboxEvent) => void;
};

/**
 * Events claimed per pass. Each pass costs a fixed dozen statements (claim, each set-based handler's
 * reads and writes, the mark) whatever its size, and its statements with array parameters are planned
 * at every run. Measured draining ~12,000 `ticket.created` events on 2 cores: passes of 200 took
 * about a third less CPU per event than passes of 50 (Node 0.09–0.10 ms against 0.12–0.16,
 * PostgreSQL 0.11–0.13 against 0.16–0.21). A pass still ends within seconds, far inside its lease.
 */
const DEFAULT_BATCH_SIZE = 200;

/**
 * The per-event handlers of a pass run in slices of about this long; between slices the loop yields
 * to the event loop, so HTTP requests on the same process keep flowing during a long pass. It used to
 * yield after every event, even one no handler had work for: with the embedded database, whose
 * statements hold the thread, each yield let a creation batch run first, and during a burst of
 * creations at concurrency 8 the outbox handled ~50 events/s against ~320 cases/s (2,700 left
 * waiting after 15 s). Yielding per slice: ~300 events/s, keeping up, for 6 % fewer cases/s. On
 * PostgreSQL the same burst made 3–6 % more cases/s (fewer event-loop turns per pass).
 */
const YIELD_AFTER_MS = 4;

export type OutboxProcessor = { stop(): Promise<void>; drain(): Promise<number>; wake(): void };

type ClaimedRow = { id: string; topic: EventTopic; payload: Record<string, unknown>; attempts: number };

/**
 * Hands committed outbox events to their handlers, in id order, at least once.
 * Several app processes may run one each against the same PostgreSQL: a batch is claimed with
 * `FOR UPDATE SKIP LOCKED` and a lease, so an event is worked on by one process at a time.
 * A failed event is retried with exponential backoff, then parked as dead (visible to admins).
 * Handlers must be idempotent: a crash between handling and marking replays the event.
 */
export function startOutboxProcessor(database: Database, handlers: OutboxSubscriber[], options: OutboxProcessorOptions = {}): OutboxProcessor {
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxAttempts = options.maxAttempts ?? 8;
  const lockSeconds = options.lockSeconds ?? 60;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  const relays = handlers.filter(isRelay);
  if (relays.length > 1) throw new Error('the outbox processor relays to one NOTIFY channel at most');
  const relayChannel = relays[0]?.relayTo;

  async function claimBatch(): Promise<OutboxEvent[]> {
    const claim = sql`
      update outbox set locked_until = now() + make_interval(secs => ${lockSeconds}), attempts = attempts + 1
      where id in (
        select id from outbox
        where processed_at is null and dead_at is null and available_at <= now()
          and (locked_until is null or locked_until < now())
        order by id limit ${batchSize}
        for update skip locked)
      returning id, topic, payload, attempts`;
    // With a relay, the claimed events go out as NOTIFYs from the same statement: pg_notify is volatile,
    // so PostgreSQL calls it after the sort, in id order (the order listeners receive them).
    const result = await (relayChannel
      ? sql<ClaimedRow>`
          with claimed as (${claim})
          select id, topic, payload, attempts,
                 case when octet_length(payload::text) < 7800
                      then pg_notify(${relayChannel}, json_build_object('id', id::text, 'topic', topic, 'payload', payload)::text) end as relayed
          from claimed order by id`
      : sql<ClaimedRow>`${claim}`
    ).execute(database.db);
    return result.rows.map(({ id, topic, payload, attempts }) => ({ id: String(id), topic, payload, attempts })).sort((left, right) => Number(left.id) - Number(right.id));
  }

  const subscribes = (handler: { topics: EventTopic[] | '*' }, event: OutboxEvent) => handler.topics === '*' || handler.topics.includes(event.topic);
  const callable = handlers.filter((handler): handler is EventHandler => !isRelay(handler));
  const batchHandlers = callable.filter((handler) => handler.handleBatch);
  const eventHandlers = callable.filter((handler) => !handler.handleBatch);

  /** Runs the per-event handlers of one event; true when all succeeded (the caller marks it processed). */
  async function handleEvent(event: OutboxEvent): Promise<boolean> {
    try {
      for (const handler of eventHandlers) {
        if (subscribes(handler, event)) await handler.handle(event);
      }
      return true;
    } catch (error) {
      await failEvent(event, error);
      return false;
    }
  }

  /** Records a failure: retried after a backoff, or parked as dead after maxAttempts. */
  async function failEvent(event: OutboxEvent, error: unknown): Promise<void> {
    options.onError?.(error, event);
    const message = error instanceof Error ? error.message : String(error);
    const isDead = event.attempts >= maxAttempts;
    const backoffSeconds = Math.min(2 ** event.attempts, 3600);
    await database.db
      .updateTable('outbox')
      .set({
        last_error: message.slice(0, 2000),
        locked_until: null,
        dead_at: isDead ? new Date() : null,
        available_at: sql<Date>`now() + make_interval(secs => ${backoffSeconds})`,
      })
      .where('id', '=', event.id)
      .execute();
  }

  /** The set-based handlers over the whole batch; returns the ids of events one of them failed. */
  async function runBatchHandlers(batch: OutboxEvent[]): Promise<Set<string>> {
    const failed = new Set<string>();
    for (const handler of batchHandlers) {
      const events = batch.filter((event) => !failed.has(event.id) && subscribes(handler, event));
      if (events.length === 0) continue;
      try {
        await handler.handleBatch!(events);
      } catch (error) {
        for (const event of events) {
          failed.add(event.id);
          await failEvent(event, error);
        }
      }
    }
    return failed;
  }

  async function markProcessed(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    // One array parameter rather than an `in` list: the same statement text whatever the batch's size.
    await database.db
      .updateTable('outbox')
      .set({ processed_at: new Date(), locked_until: null })
      .where('id', '=', sql<string>`any(${sql.val(ids)}::bigint[])`)
      .execute();
  }

  /** The batch's events by case, each case's events in id order; `concurrency` cases at a time. */
  async function handleBatch(claimed: OutboxEvent[]): Promise<string[]> {
    const failed = await runBatchHandlers(claimed);
    const batch = failed.size ? claimed.filter((event) => !failed.has(event.id)) : claimed;
    const byCase = new Map<string, OutboxEvent[]>();
    for (const event of batch) {
      const key = orderKey(event);
      const queue = byCase.get(key);
      if (queue) queue.push(event);
      else byCase.set(key, [event]);
    }
    const queues = [...byCase.values()];
    const succeeded: string[] = [];
    let next = 0;
    const worker = async () => {
      let sliceStart = performance.now();
      while (next < queues.length) {
        for (const event of queues[next++]!) {
          if (await handleEvent(event)) succeeded.push(event.id);
          if (performance.now() - sliceStart >= YIELD_AFTER_MS) {
            await new Promise((resolveYield) => setImmediate(resolveYield));
            sliceStart = performance.now();
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queues.length) }, worker));
    return succeeded;
  }

  async function runOnce(): Promise<number> {
    let handled = 0;
    for (;;) {
      const batch = await claimBatch();
      // Successes are marked in one statement per batch (a crash before it replays them: handlers are
      // idempotent). Between slices of events the loop yields (YIELD_AFTER_MS), so HTTP requests keep flowing.
      const succeeded = await handleBatch(batch);
      await markProcessed(succeeded);
      handled += batch.length;
      if (batch.length < batchSize || stopped) return handled;
    }
  }

  function schedule(delay: number): void {
    if (stopped) return;
    timer = setTimeout(tick, delay);
  }

  function tick(): void {
    if (running || stopped) return;
    running = runOnce()
      .catch(() => 0)
      .finally(() => {
        running = undefined;
        schedule(pollIntervalMs);
      });
  }

  schedule(0);
  return {
    wake() {
      if (timer) clearTimeout(timer);
      tick();
    },
    async drain() {
      while (running) await running;
      return runOnce();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      while (running) await running;
    },
  };
}

/** Events that must stay in order share a key: the case, else the inbound mail, else none (the event itself). */
function orderKey(event: OutboxEvent): string {
  const { ticketId, inboundMailId } = event.payload;
  if (typeof ticketId === 'string') return `ticket:${ticketId}`;
  if (typeof inboundMailId === 'string') return `mail:${inboundMailId}`;
  return `event:${event.id}`;
}
