import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/domain/identity/index.ts';
import { putContract, resolveSlaPolicy } from '../../src/domain/plans/index.ts';
import { recomputeTicketSla } from '../../src/domain/sla/index.ts';
import { call, createTestApp, type TestApp } from '../support/test-app.ts';
import { PREMIUM_PLAN_ID, STANDARD_PLAN_ID, slaWorld, type SlaWorld } from './sla-world.ts';

const HOUR = 3_600_000;

describe('SLA clocks on cases, driven by the outbox', () => {
  let t: TestApp;
  let w: SlaWorld;
  let premium: Awaited<ReturnType<SlaWorld['customer']>>;
  let agentToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await slaWorld(t);
    premium = await w.customer('premium');
    agentToken = await w.tokenOf(w.agent);
  });
  afterAll(async () => {
    await w.stop();
    await t.close();
  });

  it('a P1 case of a Premium organisation gets its plan and clocks once the outbox runs: first response due in 1 hour (24/7)', async () => {
    const opened = await call(t.app, premium.token, 'POST', '/api/v1/tickets', { subject: 'Map server down', body: 'Nothing loads.', priority: 'P1' });
    const ticket = opened.json();
    expect(await w.clocksOf(ticket.id)).toEqual([]);
    await w.drain();
    const createdAt = new Date(ticket.createdAt).getTime();
    const first = await w.clockOf(ticket.id, 'first-response');
    expect(first).toMatchObject({ state: 'running', target_seconds: 3600, is_breached: false });
    expect(first.due_at!.getTime()).toBe(Math.floor(createdAt / 1000) * 1000 + HOUR);
    expect(first.next_check_at!.getTime()).toBe(Math.floor(createdAt / 1000) * 1000 + 0.75 * HOUR);
    const resolution = await w.clockOf(ticket.id, 'resolution');
    expect(resolution.due_at!.getTime() - first.due_at!.getTime()).toBe(7 * HOUR);
    const row = await w.db.selectFrom('tickets').select('plan_id').where('id', '=', ticket.id).executeTakeFirstOrThrow();
    expect(row.plan_id).toBe(PREMIUM_PLAN_ID);
    const applied = await w.db.selectFrom('audit_events').select(['action', 'changes']).where('ticket_id', '=', ticket.id).where('action', 'like', 'sla.%').execute();
    expect(applied).toEqual([{ action: 'sla.policy-applied', changes: expect.objectContaining({ plan: 'premium', planId: PREMIUM_PLAN_ID, organizationId: premium.organization.id, calendar: '24/7' }) }]);
  });

  it('cases of two organisations handled in one outbox pass each get their own organisation\'s plan and one policy-applied row', async () => {
    const standard = await w.customer('standard');
    const cases = [];
    for (const customer of [premium, standard, premium, standard]) cases.push({ ticket: await w.openCase(customer.contact), customer });
    await w.drain();
    for (const { ticket, customer } of cases) {
      const planId = customer === premium ? PREMIUM_PLAN_ID : STANDARD_PLAN_ID;
      const row = await w.db.selectFrom('tickets').select('plan_id').where('id', '=', ticket.id).executeTakeFirstOrThrow();
      expect(row.plan_id).toBe(planId);
      const applied = await w.db.selectFrom('audit_events').select(['action', 'changes']).where('ticket_id', '=', ticket.id).where('action', 'like', 'sla.%').execute();
      expect(applied).toEqual([{ action: 'sla.policy-applied', changes: expect.objectContaining({ planId, organizationId: customer.organization.id, reason: 'case opened' }) }]);
      expect(await w.clocksOf(ticket.id)).toHaveLength(2);
    }
  });

  it('the case is written with the plan in force, the rule of resolveSlaPolicy: a contract in force wins over the plan reference, an expired one does not', async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const underContract = await w.customer('standard');
    const expired = await w.customer('standard');
    const none = await w.customer(null);
    await putContract(w.db, SYSTEM_ACTOR, underContract.organization.id, { planId: PREMIUM_PLAN_ID, startsOn: day(-30), endsOn: day(30) });
    await putContract(w.db, SYSTEM_ACTOR, expired.organization.id, { planId: PREMIUM_PLAN_ID, startsOn: day(-60), endsOn: day(-1) });
    // putContract also moves the plan reference; put it back, so that the two rules disagree.
    await w.db.updateTable('organizations').set({ plan_code: 'standard' }).where('id', 'in', [underContract.organization.id, expired.organization.id]).execute();
    const expectations = [
      { customer: underContract, planId: PREMIUM_PLAN_ID },
      { customer: expired, planId: STANDARD_PLAN_ID },
      { customer: none, planId: null },
    ];
    const opened: string[] = [];
    for (const { customer, planId } of expectations) {
      const ticket = (await call(t.app, customer.token, 'POST', '/api/v1/tickets', { subject: 'Which plan?' })).json();
      opened.push(ticket.id);
      // Before any outbox pass, the row carries the plan, and it is the one resolveSlaPolicy names.
      expect((await w.db.selectFrom('tickets').select('plan_id').where('id', '=', ticket.id).executeTakeFirstOrThrow()).plan_id).toBe(planId);
      expect((await resolveSlaPolicy(w.db, customer.organization.id, new Date(ticket.createdAt)))?.plan.id ?? null).toBe(planId);
    }
    await w.drain();
    for (const [index, { customer, planId }] of expectations.entries()) {
      const sla = await w.db.selectFrom('audit_events').select(['action', 'changes']).where('ticket_id', '=', opened[index]!).where('action', 'like', 'sla.%').execute();
      if (planId) expect(sla).toEqual([{ action: 'sla.policy-applied', changes: expect.objectContaining({ planId, organizationId: customer.organization.id, reason: 'case opened' }) }]);
      else expect(sla).toEqual([]);
      expect(await w.clocksOf(opened[index]!)).toHaveLength(planId ? 2 : 0);
    }
  });

  it('recomputing is idempotent: the same history at the same moment writes nothing and records nothing', async () => {
    const ticket = await w.openCase(premium.contact);
    await w.drain();
    const now = new Date(Date.now() + 60_000);
    const first = await recomputeTicketSla(w.db, ticket.id, now);
    const before = await w.clocksOf(ticket.id);
    const second = await recomputeTicketSla(w.db, ticket.id, now);
    expect(first.clocks).toBe(2);
    expect(second).toEqual({ cases: 1, clocks: 2, written: 0, removed: 0 });
    expect(await w.clocksOf(ticket.id)).toEqual(before);
    const audits = await w.db.selectFrom('audit_events').select('action').where('ticket_id', '=', ticket.id).where('action', 'like', 'sla.%').execute();
    expect(audits).toHaveLength(1);
  });

  it('an internal note does not meet first response; an agent public reply does', async () => {
    const ticket = await w.openCase(premium.contact);
    await w.drain();
    await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'Looking at the logs (internal)', internal: true });
    await w.drain();
    expect((await w.clockOf(ticket.id, 'first-response')).state).toBe('running');
    await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'We are on it.' });
    await w.drain();
    const first = await w.clockOf(ticket.id, 'first-response');
    expect(first).toMatchObject({ state: 'met', is_breached: false, next_check_at: null });
    expect(first.stopped_at).not.toBeNull();
    expect((await w.clockOf(ticket.id, 'resolution')).state).toBe('running');
  });

  it('pending-customer pauses the clocks; the customer answer resumes them and starts a next-response cycle', async () => {
    const ticket = await w.openCase(premium.contact);
    await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'Can you send the logs?' });
    await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'pending-customer' });
    await w.drain();
    const paused = await w.clockOf(ticket.id, 'resolution');
    expect(paused).toMatchObject({ state: 'paused', next_check_at: null });
    // While paused, the due time moves out with the pause.
    await recomputeTicketSla(w.db, ticket.id, new Date(Date.now() + HOUR));
    const later = await w.clockOf(ticket.id, 'resolution');
    expect(later.due_at!.getTime() - paused.due_at!.getTime()).toBeGreaterThanOrEqual(HOUR - 5_000);
    await call(t.app, premium.token, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'Here they are.' });
    await w.drain();
    const resumed = await w.clockOf(ticket.id, 'resolution');
    expect(resumed.state).toBe('running');
    expect((await w.explanationOf(ticket.id, 'resolution')).pauses.map((pause) => pause.status)).toEqual(['pending-customer']);
    expect(await w.clockOf(ticket.id, 'next-response')).toMatchObject({ state: 'running', cycle: 1, target_seconds: 3600 });
  });

  it('a priority change recomputes the due time from the start with the new target, and says so', async () => {
    const ticket = await w.openCase(premium.contact, { priority: 'P3' });
    await w.drain();
    const before = await w.clockOf(ticket.id, 'first-response');
    expect(before.target_seconds).toBe(4 * 3600);
    await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { priority: 'P1' });
    await w.drain();
    const after = await w.clockOf(ticket.id, 'first-response');
    expect(after.target_seconds).toBe(3600);
    expect(after.due_at!.getTime()).toBe(before.due_at!.getTime() - 3 * HOUR);
    expect((await w.explanationOf(ticket.id, 'first-response')).lines.some((line) => /^Priority changed from P3 to P1 at .*recomputed from the start with the P1 target \(1h\)$/.test(line))).toBe(true);
  });

  it('a case of an organisation without a plan gets no clocks', async () => {
    const planless = await w.customer(null);
    const other = await w.openCase(planless.contact);
    await w.drain();
    expect(await w.clocksOf(other.id)).toEqual([]);
    const sla = (await call(t.app, agentToken, 'GET', `/api/v1/tickets/${other.id}/sla`)).json();
    expect(sla).toMatchObject({ planId: null, planCode: null, clocks: [] });
  });

  it('moving a case to another organisation re-resolves its policy and records the change', async () => {
    const ticket = await w.openCase(premium.contact);
    await w.drain();
    const planless = await w.customer(null);
    await sql`update tickets set organization_id = ${planless.organization.id} where id = ${ticket.id}`.execute(w.db);
    await recomputeTicketSla(w.db, ticket.id);
    expect(await w.clocksOf(ticket.id)).toEqual([]);
    const standard = await w.customer('standard');
    await sql`update tickets set organization_id = ${standard.organization.id} where id = ${ticket.id}`.execute(w.db);
    await recomputeTicketSla(w.db, ticket.id);
    expect((await w.explanationOf(ticket.id, 'first-response')).lines[0]).toContain('1 business day on Toronto business hours');
    const audits = await w.db.selectFrom('audit_events').select(['action', 'changes']).where('ticket_id', '=', ticket.id).where('action', 'like', 'sla.%').orderBy('id').execute();
    expect(audits.map((audit) => [audit.action, (audit.changes as { plan: string | null }).plan])).toEqual([
      ['sla.policy-applied', 'premium'],
      ['sla.policy-changed', null],
      ['sla.policy-changed', 'standard'],
    ]);
    expect((await w.db.selectFrom('tickets').select('plan_id').where('id', '=', ticket.id).executeTakeFirstOrThrow()).plan_id).toBe(STANDARD_PLAN_ID);
  });

  it('a contract on Premium gives the organisation cases the Premium policy', async () => {
    const admin = await w.make.admin();
    const organization = await w.make.organization();
    const contact = await w.make.contact(organization.id);
    const today = new Date();
    const startsOn = new Date(today.getTime() - 86_400_000).toISOString().slice(0, 10);
    const endsOn = new Date(today.getTime() + 300 * 86_400_000).toISOString().slice(0, 10);
    const put = await call(t.app, await w.tokenOf(admin), 'PUT', `/api/v1/organizations/${organization.id}/contract`, { planId: PREMIUM_PLAN_ID, startsOn, endsOn });
    expect(put.statusCode).toBe(200);
    const ticket = await w.openCase(contact, { priority: 'P2' });
    await w.drain();
    expect(await w.clockOf(ticket.id, 'first-response')).toMatchObject({ target_seconds: 3600, state: 'running' });
  });

  it('GET /tickets/:id/sla explains each due time; a customer sees their case without internals; another organisation gets 404', async () => {
    const ticket = await w.openCase(premium.contact);
    const marker = 'INTERNAL-MARKER-7731';
    await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: marker, internal: true });
    await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'Public answer' });
    await w.drain();
    const asAgent = await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticket.id}/sla`);
    expect(asAgent.statusCode).toBe(200);
    const body = asAgent.json();
    expect(body).toMatchObject({ planId: PREMIUM_PLAN_ID, planCode: 'premium', isPolicyApplied: true });
    const first = body.clocks.find((clock: { kind: string }) => clock.kind === 'first-response');
    expect(first).toMatchObject({ state: 'met', isBreached: false, explanation: { plan: 'premium', priority: 'P1', calendar: { name: '24/7', twentyFourSeven: true }, target: { configured: { minutes: 60 }, seconds: 3600 } } });
    expect(first.id).toBe((await w.clockOf(ticket.id, 'first-response')).id);
    expect(first.explanation.lines[0]).toMatch(/^Due \S+Z: 1h around the clock \(24\/7\) from \S+Z$/);
    expect(first.explanation.lines.at(-1)).toMatch(/^First response — Met at .* by an agent public reply .*on time\)$/);
    expect(first.explanation.events.map((event: { type: string }) => event.type)).toEqual(['created', 'agent-public-reply']);
    const resolution = body.clocks.find((clock: { kind: string }) => clock.kind === 'resolution');
    expect(resolution.warnings.map((warning: { threshold: number }) => warning.threshold)).toEqual([75, 90, 100]);
    expect(resolution.nextCheckAt).toBe(resolution.warnings[0].at);
    expect(body.metrics).toMatchObject({ firstResponseBreached: false, resolutionBreached: false, nextResponseBreaches: 0 });

    const asCustomer = await call(t.app, premium.token, 'GET', `/api/v1/tickets/${ticket.id}/sla`);
    expect(asCustomer.statusCode).toBe(200);
    expect(asCustomer.body).not.toContain(marker);
    expect(asCustomer.body).not.toContain('nextCheckAt');
    expect(asCustomer.json().clocks.map((clock: { kind: string }) => clock.kind)).toEqual(['first-response', 'resolution']);

    const stranger = await w.customer('premium');
    const asStranger = await call(t.app, stranger.token, 'GET', `/api/v1/tickets/${ticket.id}/sla`);
    expect(asStranger.statusCode).toBe(404);
    expect(asStranger.json().code).toBe('TICKET_NOT_FOUND');
    expect((await call(t.app, null, 'GET', `/api/v1/tickets/${ticket.id}/sla`)).statusCode).toBe(401);
  });

  it('lists open cases breaching soon (agents only)', async () => {
    const ticket = await w.openCase(premium.contact);
    await w.drain();
    const soon = await call(t.app, agentToken, 'GET', '/api/v1/sla/breaching-soon?withinMinutes=61');
    expect(soon.statusCode).toBe(200);
    expect(soon.json().items.some((item: { ticketId: string; kind: string }) => item.ticketId === ticket.id && item.kind === 'first-response')).toBe(true);
    const notYet = (await call(t.app, agentToken, 'GET', '/api/v1/sla/breaching-soon?withinMinutes=30')).json().items;
    expect(notYet.some((item: { ticketId: string }) => item.ticketId === ticket.id)).toBe(false);
    expect((await call(t.app, premium.token, 'GET', '/api/v1/sla/breaching-soon')).statusCode).toBe(403);
  });

  it('a case without its creation row (imported) starts from the values before its first recorded change', async () => {
    const ticket = await w.openCase(premium.contact);
    await w.drain();
    await w.ageCase(ticket.id, 1800); // opened half an hour ago, then put on pending-customer now
    await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'pending-customer' });
    await w.drain();
    const at = new Date(Date.now() + 60_000);
    await recomputeTicketSla(w.db, ticket.id, at);
    const withCreationRow = await w.clocksOf(ticket.id);
    // Paused only since the change, not since the opening: due 1 h after opening + the pause so far.
    const first = withCreationRow.find((clock) => clock.kind === 'first-response')!;
    expect(first.state).toBe('paused');
    expect(first.due_at!.getTime() - first.started_at.getTime()).toBeGreaterThan(HOUR);
    expect(first.due_at!.getTime() - first.started_at.getTime()).toBeLessThan(HOUR + 5 * 60_000);
    await sql`delete from audit_events where ticket_id = ${ticket.id} and action = 'ticket.created'`.execute(w.db);
    await recomputeTicketSla(w.db, ticket.id, at);
    expect(await w.clocksOf(ticket.id)).toEqual(withCreationRow);
  });
});
