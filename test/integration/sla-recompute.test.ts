/**
 * The bulk recomputation (`casebook sla recompute`, a plan or calendar change) gives exactly the
 * clocks the per-event handler gives, case by case: a few hundred cases with varied histories
 * (paused, breached, met late, next-response cycles, priority changes, reopened, noticed
 * warnings) on four plans (business days on Toronto hours, 24/7 minutes, a plan pausing on hold
 * too), recomputed in small batches from stale, missing and surplus clocks.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/domain/identity/index.ts';
import { createPlan } from '../../src/domain/plans/index.ts';
import { recomputeOpenSlaClocks, slaEventHandler } from '../../src/domain/sla/index.ts';
import { createTestApp, factories, unique, type TestApp } from '../support/test-app.ts';
import { PREMIUM_PLAN_ID, STANDARD_PLAN_ID, TWENTY_FOUR_SEVEN_CALENDAR_ID } from './sla-world.ts';

const ENTERPRISE_LITE_PLAN_ID = 'a0000000-0000-4000-8000-000000000003';
const CASES = 240;
const MINUTE = 60_000;

type Step = { after: number; what: 'agent-reply' | 'customer-reply' | 'internal-note' | 'status' | 'priority'; to?: string };

/** The history of case `i`: twelve shapes, opened from a few hours to three weeks ago. */
function scriptOf(i: number): { priority: string; steps: Step[] } {
  const priority = ['P1', 'P2', 'P3', 'P4'][i % 4]!;
  const reply = 5 + ((i * 7) % 300);
  const shapes: Step[][] = [
    [],
    [{ after: reply, what: 'agent-reply' }],
    [{ after: reply, what: 'agent-reply' }, { after: reply + 10, what: 'status', to: 'pending-customer' }],
    [{ after: reply, what: 'agent-reply' }, { after: reply + 12, what: 'status', to: 'on-hold' }],
    [{ after: reply, what: 'agent-reply' }, { after: reply + 10, what: 'status', to: 'pending-customer' }, { after: reply + 200, what: 'status', to: 'open' }, { after: reply + 200, what: 'customer-reply' }],
    [{ after: reply, what: 'agent-reply' }, { after: reply + 60, what: 'customer-reply' }, { after: reply + 90, what: 'agent-reply' }, { after: reply + 400, what: 'customer-reply' }],
    [{ after: 30, what: 'priority', to: 'P1' }, { after: 45, what: 'internal-note' }],
    [{ after: reply, what: 'agent-reply' }, { after: reply + 30, what: 'status', to: 'solved' }, { after: reply + 600, what: 'status', to: 'open' }, { after: reply + 600, what: 'customer-reply' }],
    [{ after: reply, what: 'agent-reply' }, { after: reply + 30, what: 'status', to: 'solved' }],
    [{ after: 2 * reply, what: 'agent-reply' }, { after: 2 * reply + 1, what: 'status', to: 'pending-customer' }, { after: 3000, what: 'status', to: 'on-hold' }],
    [{ after: reply, what: 'agent-reply' }, { after: reply + 5, what: 'priority', to: 'P4' }, { after: reply + 20, what: 'status', to: 'pending-customer' }, { after: reply + 900, what: 'status', to: 'open' }, { after: reply + 900, what: 'customer-reply' }],
    [{ after: 1, what: 'status', to: 'open' }, { after: 20, what: 'internal-note' }, { after: 4000, what: 'agent-reply' }],
  ];
  return { priority, steps: shapes[i % shapes.length]! };
}

describe('bulk SLA recomputation', () => {
  let t: TestApp;
  const now = new Date();
  const ids: string[] = [];
  let openIds: Set<string>;

  /** Every stored clock, comparable: everything but the row id. */
  const clockSnapshot = async () => {
    const rows = await t.database.db.selectFrom('sla_clocks').selectAll().execute();
    return Object.fromEntries(
      rows
        .map(({ id: _id, ...row }) => [`${row.ticket_id}/${row.kind}/${row.cycle}`, JSON.parse(JSON.stringify(row))] as const)
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  };

  /**
   * The cases whose stored SLA due time (tickets.sla_due_at, which the SLA-due queue views sort by)
   * is not the earliest due time of their running or breached clocks; and how many have one.
   */
  const slaDueCheck = async () => {
    const rows = await sql<{ wrong: string; ticking: string }>`
      select count(*) filter (where t.sla_due_at is distinct from d.due_at)::text as wrong, count(d.due_at)::text as ticking
      from tickets t
      left join lateral (select min(c.due_at) as due_at from sla_clocks c where c.ticket_id = t.id and c.state in ('running', 'breached')) d on true
      where t.id = any(${ids}::uuid[])`.execute(t.database.db);
    return { wrong: Number(rows.rows[0]!.wrong), ticking: Number(rows.rows[0]!.ticking) };
  };

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    const make = factories(t.database);
    const onHoldPlan = await createPlan(db, SYSTEM_ACTOR, {
      code: unique('hold').toLowerCase(),
      name: unique('Pauses on hold'),
      calendarId: TWENTY_FOUR_SEVEN_CALENDAR_ID,
      targets: Object.fromEntries(['P1', 'P2', 'P3', 'P4'].map((p, index) => [p, { firstResponse: { minutes: 30 * (index + 1) }, nextResponse: { minutes: 120 }, resolution: { days: 2 } }])) as never,
      pauseStatuses: ['pending-customer', 'on-hold'],
      warningThresholds: [50, 75, 90],
    });
    const plans = [STANDARD_PLAN_ID, PREMIUM_PLAN_ID, ENTERPRISE_LITE_PLAN_ID, onHoldPlan.id];
    const agent = await make.agent();
    const customers = [];
    for (let index = 0; index < 4; index++) {
      const organization = await make.organization();
      customers.push({ organization, contact: await make.contact(organization.id) });
    }

    const tickets: Array<Record<string, unknown>> = [];
    const messages: Array<Record<string, unknown>> = [];
    const audits: Array<Record<string, unknown>> = [];
    for (let i = 0; i < CASES; i++) {
      const id = randomUUID();
      ids.push(id);
      const { organization, contact } = customers[i % customers.length]!;
      const planId = plans[Math.floor(i / 12) % plans.length]!;
      const { priority: initialPriority, steps } = scriptOf(i);
      // From 3 hours to 3 weeks ago, at odd seconds and milliseconds (and at night or on weekends, often).
      const openedAt = now.getTime() - 3 * 3600_000 - ((i * 7919) % (21 * 86_400)) * 1000 - (i % 1000);
      let status = 'new';
      let priority = initialPriority;
      const audit = (action: string, changes: Record<string, unknown>, at: number, actorId: string | null = null) =>
        audits.push({ subject_type: 'ticket', subject_id: id, ticket_id: id, actor_id: actorId, action, changes: JSON.stringify(changes), created_at: new Date(at) });
      audit('ticket.created', { status, priority }, openedAt);
      audit('sla.policy-applied', { plan: 'any', planId, organizationId: organization.id, calendar: 'any' }, openedAt);
      let agentReplied = false;
      for (const step of steps) {
        const at = openedAt + step.after * MINUTE;
        if (at >= now.getTime()) continue;
        if (step.what === 'status' || step.what === 'priority') {
          const field = step.what;
          const before = field === 'status' ? status : priority;
          if (field === 'status') status = step.to!;
          else priority = step.to!;
          audit('ticket.updated', { [field]: { before, after: step.to } }, at, agent.id);
          continue;
        }
        const messageId = randomUUID();
        const internal = step.what === 'internal-note';
        const author = step.what === 'customer-reply' ? contact : agent;
        messages.push({ id: messageId, ticket_id: id, author_id: author.id, body: step.what, is_internal: internal, channel: 'api', created_at: new Date(at) });
        const changes: Record<string, unknown> = { messageId, internal };
        if (step.what === 'agent-reply' && !agentReplied && status === 'new') {
          changes.status = { before: 'new', after: 'open' };
          status = 'open';
        }
        if (step.what === 'agent-reply') agentReplied = true;
        audit('reply.added', changes, at, author.id);
      }
      tickets.push({
        id,
        subject: `Recompute case ${i}`,
        requester_id: contact.id,
        organization_id: organization.id,
        priority,
        status,
        assignee_id: agent.id,
        channel: 'portal',
        plan_id: planId,
        created_at: new Date(openedAt),
        updated_at: new Date(openedAt),
      });
    }
    await db.insertInto('tickets').values(tickets as never).execute();
    await db.insertInto('messages').values(messages as never).execute();
    for (let index = 0; index < audits.length; index += 500) await db.insertInto('audit_events').values(audits.slice(index, index + 500) as never).execute();
    openIds = new Set((await db.selectFrom('tickets').select('id').where('id', 'in', ids).where('is_open', '=', true).execute()).map((row) => row.id));
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('gives every open case exactly the clocks the per-event handler gives, from stale, missing and surplus clocks; a second run writes nothing', async () => {
    const db = t.database.db;
    const handler = slaEventHandler(db, () => now);
    const handleAll = async () => {
      for (const ticketId of ids) await handler.handle({ id: randomUUID(), topic: 'ticket.updated', payload: { ticketId, changed: ['status'] }, attempts: 0 });
    };
    await handleAll();
    // Warnings already sent for some clocks: their next check moves to the next threshold.
    const running = await db.selectFrom('sla_clocks').select(['id', 'ticket_id']).where('state', 'in', ['running', 'breached']).orderBy('id').execute();
    const noticed = running.filter((_, index) => index % 3 === 0);
    await db.insertInto('sla_notices').values(noticed.map((clock) => ({ clock_id: clock.id, threshold: 75 }))).execute();
    await handleAll();
    const expected = await clockSnapshot();
    // Each case carries the earliest due time of its ticking clocks, as the handler computed them.
    const afterEvents = await slaDueCheck();
    expect(afterEvents.wrong).toBe(0);
    expect(afterEvents.ticking).toBeGreaterThan(100);
    expect(afterEvents.ticking).toBeLessThan(openIds.size);

    // The variety this comparison covers.
    const clocks = Object.values(expected) as Array<{ state: string; kind: string; cycle: number; is_breached: boolean }>;
    for (const state of ['running', 'paused', 'breached', 'met']) expect(clocks.some((clock) => clock.state === state)).toBe(true);
    expect(clocks.some((clock) => clock.state === 'met' && clock.is_breached)).toBe(true);
    expect(clocks.some((clock) => clock.kind === 'next-response' && clock.cycle === 2)).toBe(true);
    expect(openIds.size).toBeGreaterThan(200);
    expect(openIds.size).toBeLessThan(CASES);

    // Stale clocks on a third of the open cases, none at all on another third (no warning noticed
    // on them), and a surplus next-response cycle on a few.
    const open = [...openIds].sort();
    const withNotices = new Set(noticed.map((clock) => clock.ticket_id));
    const stale = open.filter((_, index) => index % 3 === 0);
    const missing = open.filter((id, index) => index % 3 === 1 && !withNotices.has(id));
    await sql`update sla_clocks set state = 'running', due_at = now(), business_seconds = 0, next_check_at = null where ticket_id in (${sql.join(stale)})`.execute(db);
    await db.deleteFrom('sla_clocks').where('ticket_id', 'in', missing).execute();
    const surplus = open.filter((_, index) => index % 3 === 2).slice(0, 5);
    await db
      .insertInto('sla_clocks')
      .values(surplus.map((ticketId) => ({ ticket_id: ticketId, kind: 'next-response' as const, cycle: 9, state: 'running', target_seconds: 60, started_at: now, due_at: now })))
      .execute();
    expect(await clockSnapshot()).not.toEqual(expected);
    // And a wrong SLA due time on a few other cases (set, moved, cleared).
    const wrongDue = open.filter((_, index) => index % 3 === 2).slice(5, 20);
    await sql`update tickets set sla_due_at = case when sla_due_at is null then now() when number % 2 = 0 then null else sla_due_at + interval '1 millisecond' end where id in (${sql.join(wrongDue)})`.execute(db);
    expect((await slaDueCheck()).wrong).toBeGreaterThanOrEqual(wrongDue.length);

    const concurrency = t.database.engine === 'postgres' ? 2 : 1;
    const result = await recomputeOpenSlaClocks(db, { now, batchSize: 37, concurrency });
    expect(result.cases).toBe(openIds.size);
    expect(result.removed).toBe(surplus.length);
    expect(result.written).toBeGreaterThanOrEqual(stale.length);
    expect(await clockSnapshot()).toEqual(expected);
    expect(await slaDueCheck()).toEqual(afterEvents);

    // Idempotent: nothing changes, nothing is written.
    const again = await recomputeOpenSlaClocks(db, { now, batchSize: 100, concurrency });
    expect(again).toEqual({ cases: openIds.size, clocks: result.clocks, written: 0, removed: 0 });
    expect(await clockSnapshot()).toEqual(expected);
  }, 300_000);

  it('rewrites a stored clock that differs in any single column, even by a microsecond, and only those', async () => {
    const db = t.database.db;
    const expected = await clockSnapshot();
    const open = [...openIds];
    const victims = await db.selectFrom('sla_clocks').select('id').where('ticket_id', 'in', open).orderBy('id').limit(10).execute();
    const changes = [
      sql`state = case when state = 'met' then 'running' else 'met' end`,
      sql`target_seconds = target_seconds + 1`,
      sql`started_at = started_at + interval '1 microsecond'`,
      sql`due_at = coalesce(due_at, started_at) + interval '1 microsecond'`,
      sql`due_at = null`,
      sql`stopped_at = case when stopped_at is null then started_at else null end`,
      sql`business_seconds = business_seconds + 1`,
      sql`is_breached = not is_breached`,
      sql`next_check_at = coalesce(next_check_at + interval '1 millisecond', started_at)`,
      sql`next_check_at = case when next_check_at is null then started_at else null end`,
    ];
    expect(victims.length).toBe(changes.length);
    for (const [index, change] of changes.entries()) await sql`update sla_clocks set ${change} where id = ${victims[index]!.id}`.execute(db);
    expect(await clockSnapshot()).not.toEqual(expected);

    const result = await recomputeOpenSlaClocks(db, { now, batchSize: 50, concurrency: t.database.engine === 'postgres' ? 2 : 1 });
    expect(result.written).toBe(changes.length);
    expect(await clockSnapshot()).toEqual(expected);
  }, 300_000);
});
