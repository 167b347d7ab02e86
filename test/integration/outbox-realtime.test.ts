import type { AddressInfo } from 'node:net';
import { openEventStream, type EventStream, type StreamEvent } from '../support/event-stream.ts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/domain/accounts/index.ts';
import type { User } from '../../src/domain/identity/index.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { enqueueEvent, type EventTopic, type OutboxEvent } from '../../src/platform/outbox/outbox.ts';
import { startOutboxProcessor, type OutboxProcessor } from '../../src/platform/outbox/processor.ts';
import type { RealtimeEvent } from '../../src/platform/realtime.ts';
import { createTestDatabase } from '../support/test-database.ts';
import { call, createTestApp, factories, type TestApp } from '../support/test-app.ts';

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

async function outboxCounts(database: Database): Promise<Record<string, number>> {
  const rows = await database.db.selectFrom('outbox').select(['topic', (eb) => eb.fn.countAll<number>().as('count')]).groupBy('topic').execute();
  return Object.fromEntries(rows.map((row) => [row.topic, Number(row.count)]));
}

async function countRows(database: Database, table: 'audit_events' | 'messages' | 'tickets' | 'outbox'): Promise<number> {
  const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

describe('the outbox is written in the same transaction as the change', () => {
  let t: TestApp;
  let agentToken: string;
  let contact: User;

  beforeAll(async () => {
    t = await createTestApp();
    const make = factories(t.database);
    contact = await make.contact((await make.organization()).id);
    agentToken = await make.token(await make.agent());
  });
  afterAll(() => t.close());

  it('creating, updating and replying to a case each add one event for it', async () => {
    const before = await outboxCounts(t.database);
    const ticket = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Outbox', requesterId: contact.id })).json();
    await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { priority: 'P1' });
    await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'pending-customer' });
    await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'Any news?' });
    const after = await outboxCounts(t.database);
    const added = (topic: string) => (after[topic] ?? 0) - (before[topic] ?? 0);
    expect([added('ticket.created'), added('ticket.updated'), added('ticket.message-added')]).toEqual([1, 2, 1]);
    const events = await t.database.db.selectFrom('outbox').select(['topic', 'payload']).where(sql<boolean>`payload->>'ticketId' = ${ticket.id}`).orderBy('id').execute();
    expect(events.map((event) => event.topic)).toEqual(['ticket.created', 'ticket.updated', 'ticket.updated', 'ticket.message-added']);
    expect(events[0]!.payload).toMatchObject({ ticketId: ticket.id, organizationId: ticket.organizationId, requesterId: contact.id, status: 'new' });
  });

  it('a no-op update changes nothing and writes no event', async () => {
    const ticket = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Same', requesterId: contact.id, priority: 'P2' })).json();
    const before = await countRows(t.database, 'outbox');
    expect((await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { priority: 'P2' })).statusCode).toBe(200);
    expect(await countRows(t.database, 'outbox')).toBe(before);
  });

  it('a change that fails leaves no outbox row, no audit row and no partial data', async () => {
    const ticket = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Rollback', requesterId: contact.id })).json();
    const snapshot = async () => Promise.all((['outbox', 'audit_events', 'messages', 'tickets'] as const).map((table) => countRows(t.database, table)));
    const before = await snapshot();

    const badAssignee = await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { priority: 'P1', assigneeId: contact.id });
    expect(badAssignee.statusCode).toBe(422);
    expect(badAssignee.json().code).toBe('TICKET_ASSIGNEE_INVALID');
    expect((await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticket.id}`)).json().priority).toBe('P3');

    // These fail after rows were already inserted in the transaction: the rollback must take them back.
    const missing = '00000000-0000-4000-8000-000000000000';
    const reply = await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'with a file that does not exist', attachmentIds: [missing] });
    expect(reply.statusCode).toBe(404);
    expect(reply.json().code).toBe('ATTACHMENT_NOT_FOUND');
    const opened = await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Never', requesterId: contact.id, body: 'x', attachmentIds: [missing] });
    expect(opened.statusCode).toBe(404);

    expect(await snapshot()).toEqual(before);
    expect((await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticket.id}`)).json().status).toBe('new');
  });
});

describe('the outbox processor', () => {
  const databases: Database[] = [];
  afterAll(async () => {
    for (const database of databases.reverse()) await database.close();
  });
  async function freshDatabase(): Promise<Database & { url?: string }> {
    const database = await createTestDatabase();
    databases.push(database);
    return database;
  }
  const recorder = (seen: OutboxEvent[], topics: EventTopics = '*') => ({ name: 'recorder', topics, handle: async (event: OutboxEvent) => void seen.push(event) });
  type EventTopics = '*' | OutboxEvent['topic'][];

  it('hands each event to its subscribers once, in id order, and marks it processed', async () => {
    const database = await freshDatabase();
    const topics = ['ticket.created', 'ticket.updated', 'organization.changed', 'ticket.created', 'user.changed'] as const;
    for (let round = 0; round < 4; round++) for (const [index, topic] of topics.entries()) await enqueueEvent(database.db, topic, { round, index });
    const ids = (await database.db.selectFrom('outbox').select('id').orderBy('id').execute()).map((row) => String(row.id));
    const all: OutboxEvent[] = [];
    const created: OutboxEvent[] = [];
    const processor = startOutboxProcessor(database, [recorder(all), recorder(created, ['ticket.created'])], { pollIntervalMs: 10, batchSize: 3 });
    try {
      await waitFor('all 20 events', () => all.length >= 20);
      await sleep(150);
    } finally {
      await processor.stop();
    }
    expect(all.map((event) => event.id)).toEqual(ids);
    expect(created.map((event) => event.payload)).toEqual([0, 1, 2, 3].flatMap((round) => [{ round, index: 0 }, { round, index: 3 }]));
    const pending = await database.db.selectFrom('outbox').select('id').where('processed_at', 'is', null).execute();
    expect(pending).toEqual([]);
  });

  it('with concurrency, handles several cases at once but each case\'s events strictly in id order', async () => {
    const database = await freshDatabase();
    const cases = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (let step = 0; step < 4; step++) for (const ticketId of cases) await enqueueEvent(database.db, 'ticket.updated', { ticketId, step });
    let inFlight = 0;
    let mostInFlight = 0;
    const seen: { ticketId: string; step: number }[] = [];
    const slow = {
      name: 'slow',
      topics: '*' as const,
      handle: async (event: OutboxEvent) => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await sleep(5 + ((Number(event.id) * 7) % 11));
        seen.push(event.payload as { ticketId: string; step: number });
        inFlight--;
      },
    };
    const processor = startOutboxProcessor(database, [slow], { pollIntervalMs: 10, batchSize: 50, concurrency: 3 });
    try {
      await waitFor('all 24 events', () => seen.length >= 24);
    } finally {
      await processor.stop();
    }
    expect(mostInFlight).toBe(3);
    for (const ticketId of cases) expect(seen.filter((event) => event.ticketId === ticketId).map((event) => event.step)).toEqual([0, 1, 2, 3]);
    expect(await database.db.selectFrom('outbox').select('id').where('processed_at', 'is', null).execute()).toEqual([]);
  });

  it('a long pass lets other work on the process run between slices of events, not after every event', async () => {
    const database = await freshDatabase();
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    // Other work on the same thread (HTTP requests; with the embedded database, its statements): each turn holds the thread 2 ms.
    let turns = 0;
    let running = true;
    const other = () => {
      if (!running) return;
      turns++;
      busy(2);
      setImmediate(other);
    };
    for (let index = 0; index < 300; index++) await enqueueEvent(database.db, 'ticket.updated', { ticketId: `quick-${index}` });
    for (let index = 0; index < 40; index++) await enqueueEvent(database.db, 'ticket.updated', { ticketId: `slow-${index}`, slow: true });
    const turnsAt = new Map<string, number>();
    const handler = {
      name: 'probe',
      topics: '*' as const,
      handle: async (event: OutboxEvent) => {
        turnsAt.set(String(event.payload.ticketId), turns);
        if (event.payload.slow) busy(1);
      },
    };
    other();
    const processor = startOutboxProcessor(database, [handler], { pollIntervalMs: 10, batchSize: 500 });
    try {
      await waitFor('all 340 events', () => turnsAt.size >= 340);
    } finally {
      running = false;
      await processor.stop();
    }
    // 300 events whose handling takes no time do not each wait for a turn of the other work (one yield per event did: 299 turns)...
    expect(turnsAt.get('quick-299')! - turnsAt.get('quick-0')!).toBeLessThan(100);
    // ...while 40 ms of handling in one pass is cut into slices with the other work running in between.
    expect(turnsAt.get('slow-39')! - turnsAt.get('slow-0')!).toBeGreaterThanOrEqual(4);
  });

  it('retries a failing handler with exponential backoff, then parks the event as dead after maxAttempts', async () => {
    const database = await freshDatabase();
    await enqueueEvent(database.db, 'ticket.updated', { name: 'always-fails' });
    await enqueueEvent(database.db, 'ticket.updated', { name: 'fails-once' });
    await enqueueEvent(database.db, 'ticket.updated', { name: 'fine' });
    const calls: Record<string, number> = { 'always-fails': 0, 'fails-once': 0, fine: 0 };
    const errors: string[] = [];
    const handler = {
      name: 'flaky',
      topics: '*' as const,
      async handle(event: OutboxEvent) {
        const name = String(event.payload.name);
        calls[name]!++;
        if (name === 'always-fails' || (name === 'fails-once' && calls[name] === 1)) throw new Error(`boom ${name}`);
      },
    };
    const state = async (name: string) => {
      const result = await sql<{ attempts: number; last_error: string | null; processed: boolean; dead: boolean; available_at: Date }>`
        select attempts, last_error, processed_at is not null as processed, dead_at is not null as dead, available_at
        from outbox where payload->>'name' = ${name}`.execute(database.db);
      return result.rows[0]!;
    };
    const makeDue = () => sql`update outbox set available_at = now() - interval '1 second' where processed_at is null`.execute(database.db);
    const databaseNow = async () => (await sql<{ now: Date }>`select now() as now`.execute(database.db)).rows[0]!.now.getTime();
    /** Runs one pass; the failed event must then wait `seconds` from the moment it failed (between the pass's start and end). */
    async function passExpectingBackoff(name: string, seconds: number, start?: number) {
      start ??= await databaseNow();
      await processor.drain();
      const end = await databaseNow();
      const availableAt = (await state(name)).available_at.getTime();
      expect(availableAt - start).toBeGreaterThanOrEqual(seconds * 1000 - 1);
      expect(availableAt - end).toBeLessThanOrEqual(seconds * 1000 + 1);
    }
    const firstStart = await databaseNow();
    // A long poll interval: after its first pass the processor only works when the test drains it.
    const processor: OutboxProcessor = startOutboxProcessor(database, [handler], { pollIntervalMs: 60_000, maxAttempts: 3, onError: (_error, event) => errors.push(String(event.payload.name)) });
    try {
      await passExpectingBackoff('always-fails', 2, firstStart);
      expect(calls).toEqual({ 'always-fails': 1, 'fails-once': 1, fine: 1 });
      expect(await state('always-fails')).toMatchObject({ attempts: 1, last_error: 'boom always-fails', processed: false, dead: false });
      expect(await state('fine')).toMatchObject({ attempts: 1, processed: true });

      await processor.drain(); // still backing off: nothing is retried early
      expect(calls).toEqual({ 'always-fails': 1, 'fails-once': 1, fine: 1 });

      await makeDue();
      await passExpectingBackoff('always-fails', 4);
      expect(calls).toEqual({ 'always-fails': 2, 'fails-once': 2, fine: 1 });
      expect(await state('fails-once')).toMatchObject({ attempts: 2, processed: true, dead: false });
      expect(await state('always-fails')).toMatchObject({ attempts: 2, processed: false, dead: false });

      await makeDue();
      await processor.drain();
      expect(await state('always-fails')).toMatchObject({ attempts: 3, processed: false, dead: true, last_error: 'boom always-fails' });

      await makeDue();
      await processor.drain();
      expect(calls).toEqual({ 'always-fails': 3, 'fails-once': 2, fine: 1 });
      expect(errors).toEqual(['always-fails', 'fails-once', 'always-fails', 'always-fails']);
    } finally {
      await processor.stop();
    }
  });

  it('a set-based handler gets each claimed batch once; when it throws, its events are retried and no other handler runs for them', async () => {
    const database = await freshDatabase();
    for (let index = 0; index < 5; index++) await enqueueEvent(database.db, 'ticket.updated', { index });
    await enqueueEvent(database.db, 'user.changed', { index: 99 });
    const batches: number[][] = [];
    const perEvent: number[] = [];
    let failNext = true;
    const setBased = {
      name: 'set-based',
      topics: ['ticket.updated'] as EventTopic[],
      handle: async () => {
        throw new Error('handle() must not be called when handleBatch exists');
      },
      async handleBatch(events: OutboxEvent[]) {
        batches.push(events.map((event) => Number(event.payload.index)));
        if (failNext) {
          failNext = false;
          throw new Error('batch refused');
        }
      },
    };
    const single = { name: 'single', topics: '*' as const, handle: async (event: OutboxEvent) => void perEvent.push(Number(event.payload.index)) };
    const processor = startOutboxProcessor(database, [setBased, single], { pollIntervalMs: 60_000 });
    try {
      await processor.drain();
      // First pass: the batch handler refused its 5 events; only the event outside its topics went on.
      expect(batches).toEqual([[0, 1, 2, 3, 4]]);
      expect(perEvent).toEqual([99]);
      const pending = await sql<{ attempts: number; last_error: string }>`select attempts, last_error from outbox where processed_at is null order by id`.execute(database.db);
      expect(pending.rows).toHaveLength(5);
      expect(pending.rows.every((row) => row.attempts === 1 && row.last_error === 'batch refused')).toBe(true);
      await sql`update outbox set available_at = now() - interval '1 second' where processed_at is null`.execute(database.db);
      await processor.drain();
      expect(batches).toEqual([
        [0, 1, 2, 3, 4],
        [0, 1, 2, 3, 4],
      ]);
      expect(perEvent).toEqual([99, 0, 1, 2, 3, 4]);
      const left = await sql<{ count: string }>`select count(*)::text as count from outbox where processed_at is null`.execute(database.db);
      expect(left.rows[0]!.count).toBe('0');
    } finally {
      await processor.stop();
    }
  });

  it('two processors on the same database handle each of 200 events exactly once between them', async () => {
    const database = await freshDatabase();
    // On PostgreSQL the second processor has its own connection pool, as a second app node would.
    const second = database.url ? await openDatabase({ databaseUrl: database.url, poolSize: 5 }) : database;
    if (second !== database) databases.push(second);
    const total = 200;
    await database.db
      .insertInto('outbox')
      .values(Array.from({ length: total }, (_, index) => ({ topic: 'ticket.updated', payload: JSON.stringify({ index }) })))
      .execute();
    const handledBy = new Map<string, string[]>();
    const handler = (name: string) => ({
      name,
      topics: '*' as const,
      async handle(event: OutboxEvent) {
        handledBy.set(event.id, [...(handledBy.get(event.id) ?? []), name]);
        await sleep(Math.random() * 2);
      },
    });
    const options = { pollIntervalMs: 5, batchSize: 10 };
    const processors = [startOutboxProcessor(database, [handler('one')], options), startOutboxProcessor(second, [handler('two')], options)];
    try {
      await waitFor('200 events handled', () => handledBy.size >= total, 30_000);
      await sleep(300);
    } finally {
      await Promise.all(processors.map((processor) => processor.stop()));
    }
    const handlings = [...handledBy.values()];
    expect(handledBy.size).toBe(total);
    expect(handlings.filter((names) => names.length !== 1)).toEqual([]);
    const share = (name: string) => handlings.filter((names) => names[0] === name).length;
    expect(share('one') + share('two')).toBe(total);
    expect(share('one')).toBeGreaterThan(0);
    expect(share('two')).toBeGreaterThan(0);
    const left = await database.db.selectFrom('outbox').select('id').where('processed_at', 'is', null).execute();
    expect(left).toEqual([]);
  });
});

describe('realtime: committed case changes reach connected users', () => {
  let t: TestApp;
  let processor: OutboxProcessor;
  let baseUrl: string;
  let orgA: Organization;
  let agentToken: string;
  let contactA: User;
  let contactAToken: string;
  let contactB: User;
  let contactBToken: string;
  const streams: { close(): void }[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    const make = factories(t.database);
    orgA = await make.organization();
    const orgB = await make.organization();
    agentToken = await make.token(await make.agent());
    contactA = await make.contact(orgA.id);
    contactAToken = await make.token(contactA);
    contactB = await make.contact(orgB.id);
    contactBToken = await make.token(contactB);
    processor = startOutboxProcessor(t.database, [t.realtime.outboxHandler], { pollIntervalMs: 20 });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await processor?.stop();
    await t.close();
  });

  /** Connects to the SSE endpoint like a browser; closed after the tests. */
  async function openStream(token: string): Promise<EventStream> {
    const stream = await openEventStream(baseUrl, token);
    streams.push(stream);
    return stream;
  }

  const about = (stream: { events: StreamEvent[] }, topic: string, key: string, value: string) => stream.events.filter((event) => event.event === topic && event.data[key] === value);

  it('a subscriber of the hub gets ticket.created within a few seconds of the commit', async () => {
    const received: RealtimeEvent[] = [];
    const unsubscribe = t.realtime.subscribe((event) => received.push(event));
    try {
      const ticket = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Realtime', requesterId: contactA.id })).json();
      await waitFor('ticket.created on the hub', () => received.some((event) => event.topic === 'ticket.created' && event.payload.ticketId === ticket.id));
      const event = received.find((candidate) => candidate.payload.ticketId === ticket.id)!;
      expect(event.payload).toMatchObject({ ticketId: ticket.id, number: ticket.number, organizationId: orgA.id, requesterId: contactA.id });
      expect(JSON.stringify(event.payload)).not.toContain('Realtime');
    } finally {
      unsubscribe();
    }
  });

  it('a claimed batch reaches the hub in id order, each payload as written (quotes, backslashes, accents); one too large for a NOTIFY is skipped', async () => {
    const received: RealtimeEvent[] = [];
    const unsubscribe = t.realtime.subscribe((event) => received.push(event));
    try {
      const ticket = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Batch', requesterId: contactA.id })).json();
      const payloads = Array.from({ length: 30 }, (_, index) => ({ ticketId: ticket.id, step: index, note: `"été" \\ n°${index}`, changed: ['status'] }));
      // Committed together, so the processor claims them in one batch; the 16th is over NOTIFY's 8,000 bytes.
      const oversized = { ticketId: ticket.id, step: -1, note: 'x'.repeat(9_000), changed: ['status'] };
      await t.database.db.transaction().execute(async (tx) => {
        for (const [index, payload] of payloads.entries()) {
          if (index === 15) await enqueueEvent(tx, 'ticket.updated', oversized);
          await enqueueEvent(tx, 'ticket.updated', payload);
        }
      });
      const ours = () => received.filter((event) => event.payload.ticketId === ticket.id && event.topic === 'ticket.updated');
      await waitFor('the 30 events on the hub', () => ours().length === 30);
      expect(ours().map((event) => event.payload)).toEqual(payloads);
      const ids = ours().map((event) => Number(event.id));
      expect(ids).toEqual([...ids].sort((left, right) => left - right));
      // The oversized event is not relayed, but it is handled: nothing is left pending behind it.
      await waitFor('the batch marked processed', async () => {
        const row = await t.database.db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('pending')).where('processed_at', 'is', null).executeTakeFirstOrThrow();
        return Number(row.pending) === 0;
      });
      expect(received.some((event) => event.payload.step === -1)).toBe(false);
    } finally {
      unsubscribe();
    }
  });

  it('an agent receives event: ticket.created over SSE; a customer of another organisation does not', async () => {
    const listenersBefore = t.realtime.listenerCount();
    const agent = await openStream(agentToken);
    const stranger = await openStream(contactBToken);
    expect(t.realtime.listenerCount()).toBe(listenersBefore + 2);
    const ticket = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Over SSE', requesterId: contactA.id })).json();
    await waitFor('the agent to get ticket.created', () => about(agent, 'ticket.created', 'ticketId', ticket.id).length === 1);
    expect(about(agent, 'ticket.created', 'ticketId', ticket.id)[0]!.data).not.toHaveProperty('organizationSharesCases');
    await sleep(1500);
    expect(stranger.events.filter((event) => event.data.ticketId === ticket.id)).toEqual([]);

    // The stranger's stream works: their own case reaches them.
    const own = (await call(t.app, contactBToken, 'POST', '/api/v1/tickets', { subject: 'Mine' })).json();
    await waitFor('the customer to get their own ticket.created', () => about(stranger, 'ticket.created', 'ticketId', own.id).length === 1);

    agent.close();
    stranger.close();
    await waitFor('closed streams to unsubscribe', () => t.realtime.listenerCount() === listenersBefore);
  });

  it('a colleague hears of cases of their organisation live only when it shares cases, never of internal notes', async () => {
    const make = factories(t.database);
    const sharing = await make.organization({ sharesCases: true });
    const [author, colleague] = [await make.contact(sharing.id), await make.contact(sharing.id)];
    const privateOrgColleague = await make.contact(orgA.id);
    const colleagueStream = await openStream(await make.token(colleague));
    const privateStream = await openStream(await make.token(privateOrgColleague));
    const shared = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Shared over SSE', requesterId: author.id })).json();
    const note = (await call(t.app, agentToken, 'POST', `/api/v1/tickets/${shared.id}/messages`, { body: 'Internal only', internal: true })).json();
    const reply = (await call(t.app, agentToken, 'POST', `/api/v1/tickets/${shared.id}/messages`, { body: 'Public answer' })).json();
    const notShared = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Private over SSE', requesterId: contactA.id })).json();
    await waitFor('the colleague to get the case and the public reply', () => about(colleagueStream, 'ticket.message-added', 'messageId', reply.id).length === 1);
    expect(about(colleagueStream, 'ticket.created', 'ticketId', shared.id)).toHaveLength(1);
    await sleep(500);
    expect(about(colleagueStream, 'ticket.message-added', 'messageId', note.id)).toEqual([]);
    // Order is kept: the case's creation arrives before its reply.
    const order = colleagueStream.events.filter((event) => event.data.ticketId === shared.id).map((event) => event.event);
    expect(order.indexOf('ticket.created')).toBeLessThan(order.indexOf('ticket.message-added'));
    // Another organisation's colleague (no sharing) hears nothing of a case they cannot read.
    expect(privateStream.events.filter((event) => event.data.ticketId === notShared.id)).toEqual([]);
    expect(privateStream.events.filter((event) => event.data.ticketId === shared.id)).toEqual([]);
  });

  it('a customer gets the public reply on their case over SSE, never the internal note', async () => {
    const agent = await openStream(agentToken);
    const customer = await openStream(contactAToken);
    const ticket = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Notes over SSE', requesterId: contactA.id })).json();
    const note = (await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'Internal only', internal: true })).json();
    const reply = (await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'Public answer' })).json();
    await waitFor('the agent to get both messages', () => about(agent, 'ticket.message-added', 'ticketId', ticket.id).length === 2);
    expect(about(agent, 'ticket.message-added', 'messageId', note.id)[0]!.data).toMatchObject({ internal: true });
    await waitFor('the customer to get the public reply', () => about(customer, 'ticket.message-added', 'messageId', reply.id).length === 1);
    await sleep(300);
    expect(about(customer, 'ticket.message-added', 'messageId', note.id)).toEqual([]);
    expect(customer.events.filter((event) => event.data.internal === true)).toEqual([]);
    expect(about(customer, 'ticket.created', 'ticketId', ticket.id)).toHaveLength(1);
  });
});
