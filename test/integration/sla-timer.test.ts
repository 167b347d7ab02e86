import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/domain/plans/index.ts';
import { recomputeTicketSla, runSlaTimer, startSlaTimer } from '../../src/domain/sla/index.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { addMessage } from '../../src/domain/tickets/index.ts';
import { actorOf, createTestApp, type TestApp } from '../support/test-app.ts';
import { testEngine } from '../support/test-database.ts';
import { slaWorld, type SlaWorld } from './sla-world.ts';

const at = (base: string, seconds: number) => new Date(Math.floor(new Date(base).getTime() / 1000) * 1000 + seconds * 1000);
const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

describe('the SLA timer: warnings and breaches, exactly once', () => {
  let t: TestApp;
  let w: SlaWorld;
  let tiny: Plan;
  let customer: Awaited<ReturnType<SlaWorld['customer']>>;

  beforeAll(async () => {
    t = await createTestApp();
    w = await slaWorld(t);
    tiny = await w.tinyPlan({ minutes: 1, namedTam: true });
    customer = await w.customer(tiny.code, { tamId: w.tam.id });
  });
  afterAll(async () => {
    await w.stop();
    await t.close();
  });

  const noticesOf = async (ticketId: string) =>
    (
      await w.db
        .selectFrom('sla_notices')
        .innerJoin('sla_clocks', 'sla_clocks.id', 'sla_notices.clock_id')
        .select(['sla_clocks.kind', 'sla_notices.threshold', 'sla_notices.is_late', 'sla_notices.crossed_at'])
        .where('sla_clocks.ticket_id', '=', ticketId)
        .orderBy('sla_clocks.kind')
        .orderBy('sla_notices.threshold')
        .execute()
    ).map((row) => `${row.kind}@${row.threshold}${row.is_late ? ' late' : ''}`);
  const notificationsOf = (ticketId: string) =>
    w.db.selectFrom('notifications').select(['user_id', 'kind', 'channel', 'dedupe_key', 'deliver_after', 'payload']).where('ticket_id', '=', ticketId).execute();
  const countNotices = async () => Number((await w.db.selectFrom('sla_notices').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()).count);

  it('crossed thresholds become notices and notifications for the assignee, the team lead and the TAM — once', async () => {
    const ticket = await w.openCase(customer.contact);
    await w.drain();
    const now = at(ticket.createdAt, 120);
    const first = await runSlaTimer(w.db, { now });
    expect(first.notices).toBeGreaterThanOrEqual(6);
    expect(await noticesOf(ticket.id)).toEqual(['first-response@75 late', 'first-response@90 late', 'first-response@100', 'resolution@75 late', 'resolution@90 late', 'resolution@100']);
    const notifications = await notificationsOf(ticket.id);
    expect(new Set(notifications.map((n) => n.user_id))).toEqual(new Set([w.agent.id, w.lead.id, w.tam.id]));
    expect(notifications.filter((n) => n.kind === 'sla.warning')).toHaveLength(4 * 3 * 2);
    expect(notifications.filter((n) => n.kind === 'sla.breach')).toHaveLength(2 * 3 * 2);
    const breach = notifications.find((n) => n.kind === 'sla.breach' && n.user_id === w.agent.id && n.channel === 'in-app')!;
    expect(breach.payload).toMatchObject({ clockKind: expect.any(String), threshold: 100, isLate: false, plan: tiny.code, priority: 'P1' });
    expect(breach.dedupe_key).toMatch(/^sla:[0-9a-f-]{36}:100$/);
    const first24 = await w.clockOf(ticket.id, 'first-response');
    expect(first24).toMatchObject({ state: 'breached', is_breached: true, next_check_at: null });

    const again = await runSlaTimer(w.db, { now: at(ticket.createdAt, 180) });
    expect(await noticesOf(ticket.id)).toHaveLength(6);
    expect(await notificationsOf(ticket.id)).toHaveLength(notifications.length);
    expect(again.notices).toBe(0);
    const pushed = await w.db.selectFrom('outbox').select('payload').where('topic', '=', 'sla.notice').where(sql<boolean>`payload->>'ticketId' = ${ticket.id}`).execute();
    expect(pushed).toHaveLength(6);
    expect(pushed[0]!.payload).toMatchObject({ internal: true, ticketId: ticket.id });
  });

  it('two timers at once (two connection pools on PostgreSQL) create each notice and notification exactly once', async () => {
    const tickets = [];
    for (let index = 0; index < 8; index++) tickets.push(await w.openCase(customer.contact));
    await w.drain();
    const now = at(tickets[tickets.length - 1]!.createdAt, 120);
    const url = (t.database as Database & { url?: string }).url;
    const second = testEngine === 'postgres' && url ? await openDatabase({ databaseUrl: url, poolSize: 4 }) : t.database;
    try {
      const before = await countNotices();
      const [a, b] = await Promise.all([runSlaTimer(w.db, { now, batchSize: 3 }), runSlaTimer(second.db, { now, batchSize: 3 })]);
      expect(a.notices + b.notices).toBe((await countNotices()) - before);
      if (testEngine === 'postgres') expect(a.clocks > 0 && b.clocks > 0).toBe(true);
      for (const ticket of tickets) {
        expect(await noticesOf(ticket.id)).toHaveLength(6);
        expect(await notificationsOf(ticket.id)).toHaveLength(6 * 3 * 2);
      }
    } finally {
      if (second !== t.database) await second.close();
    }
  });

  it('a restart misses nothing: thresholds crossed while no timer ran are noticed at the next pass, marked late', async () => {
    const ticket = await w.openCase(customer.contact);
    await w.drain();
    await runSlaTimer(w.db, { now: at(ticket.createdAt, 50) });
    expect(await noticesOf(ticket.id)).toEqual(['first-response@75', 'resolution@75']);
    expect((await w.clockOf(ticket.id, 'first-response')).next_check_at).toEqual(at(ticket.createdAt, 54));
    // The process stops; ten minutes later a new timer instance runs.
    await runSlaTimer(w.db, { now: at(ticket.createdAt, 600) });
    expect(await noticesOf(ticket.id)).toEqual(['first-response@75', 'first-response@90 late', 'first-response@100 late', 'resolution@75', 'resolution@90 late', 'resolution@100 late']);
    const late = (await notificationsOf(ticket.id)).filter((n) => n.kind === 'sla.breach');
    expect(late.every((n) => (n.payload as { isLate: boolean }).isLate)).toBe(true);
  });

  it('an event that recomputes a clock just after a threshold passed does not skip its warning', async () => {
    const ticket = await w.openCase(customer.contact);
    await w.drain();
    await recomputeTicketSla(w.db, ticket.id, at(ticket.createdAt, 50));
    expect((await w.clockOf(ticket.id, 'first-response')).next_check_at).toEqual(at(ticket.createdAt, 45));
    await runSlaTimer(w.db, { now: at(ticket.createdAt, 50) });
    expect(await noticesOf(ticket.id)).toEqual(['first-response@75', 'resolution@75']);
  });

  it('a clock met before its warning gets no notice', async () => {
    const ticket = await w.openCase(customer.contact);
    await w.drain();
    await addMessage(w.db, actorOf(w.agent), ticket.id, { body: 'On it' });
    await w.drain();
    await runSlaTimer(w.db, { now: at(ticket.createdAt, 30) });
    expect(await w.clockOf(ticket.id, 'first-response')).toMatchObject({ state: 'met', next_check_at: null });
    await runSlaTimer(w.db, { now: at(ticket.createdAt, 600) });
    expect(await noticesOf(ticket.id)).toEqual(['resolution@75 late', 'resolution@90 late', 'resolution@100 late']);
  });

  it('the background timer picks up clocks whose moment has come and stops cleanly', async () => {
    const ticket = await w.openCase(customer.contact);
    await w.drain();
    await w.ageCase(ticket.id, 120);
    await recomputeTicketSla(w.db, ticket.id);
    const timer = startSlaTimer(w.db, { intervalMs: 20 });
    try {
      const deadline = Date.now() + 10_000;
      while ((await noticesOf(ticket.id)).length < 6 && Date.now() < deadline) await sleep(25);
    } finally {
      await timer.stop();
    }
    expect(await noticesOf(ticket.id)).toHaveLength(6);
  });
});

describe('notices respect working hours unless urgent (24/7 plan and P1)', () => {
  let t: TestApp;
  let w: SlaWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await slaWorld(t);
  });
  afterAll(async () => {
    await w.stop();
    await t.close();
  });

  it('e-mail to an assignee off work waits for their next working moment; in-app is immediate; urgent e-mail too', async () => {
    const plan = await w.tinyPlan({ minutes: 1 });
    const { contact } = await w.customer(plan.code);
    const probe = new Date();
    const workday = new Date(probe.getTime() + 2 * 86_400_000);
    const weekday = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][workday.getUTCDay()]!;
    const offHours = await w.make.agent({ timeZone: 'UTC', workingHours: { [weekday]: [['09:00', '10:00']] } });
    const expected = new Date(`${workday.toISOString().slice(0, 10)}T09:00:00.000Z`);

    const normal = await w.openCase(contact, { priority: 'P2', assigneeId: offHours.id, teamId: null });
    const urgent = await w.openCase(contact, { priority: 'P1', assigneeId: offHours.id, teamId: null });
    await w.drain();
    const now = at(urgent.createdAt, 120);
    await runSlaTimer(w.db, { now });
    const deliveries = async (ticketId: string) =>
      (await w.db.selectFrom('notifications').select(['channel', 'deliver_after', 'kind']).where('ticket_id', '=', ticketId).where('user_id', '=', offHours.id).where('kind', '=', 'sla.breach').execute()).map(
        (row) => [row.channel, row.deliver_after.toISOString()],
      );
    const normalRows = await deliveries(normal.id);
    expect(normalRows).toHaveLength(4);
    expect(normalRows.filter(([channel]) => channel === 'email').every(([, deliverAfter]) => deliverAfter === expected.toISOString())).toBe(true);
    expect(normalRows.filter(([channel]) => channel === 'in-app').every(([, deliverAfter]) => deliverAfter === now.toISOString())).toBe(true);
    const urgentRows = await deliveries(urgent.id);
    expect(urgentRows).toHaveLength(4);
    expect(urgentRows.every(([, deliverAfter]) => deliverAfter === now.toISOString())).toBe(true);
  });
});
