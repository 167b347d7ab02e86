import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlan, type Plan } from '../../src/domain/plans/index.ts';
import { autoAssignHandler, autoAssignTicket, reofferWaitingCases } from '../../src/domain/routing/index.ts';
import { SYSTEM_ACTOR } from '../../src/domain/identity/index.ts';
import { sql } from 'kysely';
import { enqueueEvent } from '../../src/platform/outbox/outbox.ts';
import { startOutboxProcessor } from '../../src/platform/outbox/processor.ts';
import { call, createTestApp, type TestApp } from '../support/test-app.ts';
import { BOTH_OPEN, MONTREAL, NIGHT, PARIS, PARIS_CLOSED, routingWorld, type RoutingWorld } from './routing-world.ts';

describe('automatic assignment of new cases', () => {
  let t: TestApp;
  let w: RoutingWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await routingWorld(t);
  });
  afterAll(() => t.close());

  const timelineOf = async (ticketId: string) => (await call(t.app, w.dispatcherToken, 'GET', `/api/v1/tickets/${ticketId}/timeline`)).json().items as { action: string; changes: Record<string, unknown> }[];
  const assigneeOf = async (ticketId: string) => (await call(t.app, w.dispatcherToken, 'GET', `/api/v1/tickets/${ticketId}`)).json().assigneeId as string | null;

  it('round-robin over three on-shift agents assigns A, B, C, A and records why on the timeline', async () => {
    const { team, agents } = await w.team([{}, {}, {}], 'round-robin');
    const picks: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      const ticket = await w.openCase({ teamId: team.id });
      picks.push((await autoAssignTicket(w.db, ticket.id, { now: BOTH_OPEN })).assigneeId);
      expect(await assigneeOf(ticket.id)).toBe(picks[i]);
    }
    const [a, b, c] = agents.map((agent) => agent.id);
    expect(picks).toEqual([a, b, c, a]);
    const routing = (await call(t.app, w.dispatcherToken, 'GET', `/api/v1/teams/${team.id}/routing`)).json();
    expect(routing).toMatchObject({ strategy: 'round-robin', lastAssignedUserId: a });
  });

  it('a routed case opens, and its timeline says who, by which strategy and why', async () => {
    const { team, agents } = await w.team([{}], 'round-robin');
    const ticket = await w.openCase({ teamId: team.id });
    await autoAssignTicket(w.db, ticket.id, { now: BOTH_OPEN });
    const fetched = (await call(t.app, w.dispatcherToken, 'GET', `/api/v1/tickets/${ticket.id}`)).json();
    expect(fetched).toMatchObject({ assigneeId: agents[0]!.id, status: 'open' });
    const entry = (await timelineOf(ticket.id)).find((item) => item.action === 'ticket.auto-assigned')!;
    expect(entry.changes).toMatchObject({ assigneeId: { before: null, after: agents[0]!.id }, status: { before: 'new', after: 'open' }, strategy: 'round-robin', rule: 'round-robin' });
    expect(String(entry.changes.reason)).toContain('round-robin');
    const contactToken = await w.make.token(w.contact);
    const seenByCustomer = (await call(t.app, contactToken, 'GET', `/api/v1/tickets/${ticket.id}/timeline`)).json().items;
    expect(seenByCustomer.map((item: { action: string }) => item.action)).not.toContain('ticket.auto-assigned');
  });

  it('least-loaded picks the agent with the lowest open/max ratio', async () => {
    const { team, agents } = await w.team([{ maxOpenCases: 10 }, { maxOpenCases: 2 }, { maxOpenCases: 20 }], 'least-loaded');
    const [a, b, c] = [10, 2, 20].map((cap) => agents.find((agent) => agent.maxOpenCases === cap));
    for (const [agent, count] of [[a!, 3], [b!, 1], [c!, 5]] as const) {
      for (let i = 0; i < count; i++) await w.openCase({ teamId: team.id, assigneeId: agent.id });
    }
    // Loads: A 3/10 = 30 %, B 1/2 = 50 %, C 5/20 = 25 %.
    const ticket = await w.openCase({ teamId: team.id });
    const outcome = await autoAssignTicket(w.db, ticket.id, { now: BOTH_OPEN });
    expect(outcome).toMatchObject({ outcome: 'assigned', assigneeId: c!.id });
    expect(outcome.reason).toContain('least-loaded');
    // Now C is 6/20 = 30 %, tied with A: A was never routed, C just was, so A (idle longer) wins.
    const next = await w.openCase({ teamId: team.id });
    expect((await autoAssignTicket(w.db, next.id, { now: BOTH_OPEN })).assigneeId).toBe(a!.id);
  });

  it('skips an agent off shift: a case arriving after Paris closes goes to Montréal', async () => {
    const { team, agents } = await w.team([PARIS, MONTREAL], 'round-robin');
    const montreal = agents.find((agent) => agent.timeZone === 'America/Montreal')!;
    for (let i = 0; i < 3; i++) {
      const ticket = await w.openCase({ teamId: team.id });
      expect((await autoAssignTicket(w.db, ticket.id, { now: PARIS_CLOSED })).assigneeId).toBe(montreal.id);
    }
    const both = new Set<string | null>();
    for (let i = 0; i < 2; i++) both.add((await autoAssignTicket(w.db, (await w.openCase({ teamId: team.id })).id, { now: BOTH_OPEN })).assigneeId);
    expect(both).toEqual(new Set(agents.map((agent) => agent.id)));
  });

  it('at night, a P1 goes to the least-loaded eligible agent; a P3 waits unassigned with the reason', async () => {
    const { team, agents } = await w.team([{ ...PARIS, maxOpenCases: 10 }, { ...MONTREAL, maxOpenCases: 10 }], 'round-robin');
    await w.openCase({ teamId: team.id, assigneeId: agents[0]!.id });
    const p1 = await w.openCase({ teamId: team.id, priority: 'P1' });
    const urgent = await autoAssignTicket(w.db, p1.id, { now: NIGHT });
    expect(urgent).toMatchObject({ outcome: 'assigned', assigneeId: agents[1]!.id });
    expect((await timelineOf(p1.id)).find((item) => item.action === 'ticket.auto-assigned')!.changes.rule).toBe('p1-off-shift');
    const p3 = await w.openCase({ teamId: team.id, priority: 'P3' });
    expect(await autoAssignTicket(w.db, p3.id, { now: NIGHT })).toMatchObject({ outcome: 'left-unassigned', assigneeId: null });
    expect(await assigneeOf(p3.id)).toBeNull();
    const skipped = (await timelineOf(p3.id)).find((item) => item.action === 'ticket.auto-assign-skipped')!;
    expect(skipped.changes).toMatchObject({ rule: 'nobody-on-shift', strategy: 'round-robin' });
    expect(String(skipped.changes.reason)).toContain('none on shift');
  });

  it('a P3 left waiting at night is offered again when the first agent comes on shift (and only then)', async () => {
    const { team, agents } = await w.team([PARIS, MONTREAL], 'round-robin');
    const waiting = await w.openCase({ teamId: team.id, priority: 'P3' });
    const byHand = await w.openCase({ teamId: team.id, priority: 'P3' });
    for (const ticket of [waiting, byHand]) expect(await autoAssignTicket(w.db, ticket.id, { now: NIGHT })).toMatchObject({ outcome: 'left-unassigned' });
    // An agent took the second case by hand, then gave it back: people decided, routing leaves it alone.
    for (const assigneeId of [agents[0]!.id, null]) expect((await call(t.app, w.dispatcherToken, 'PATCH', `/api/v1/tickets/${byHand.id}`, { assigneeId })).statusCode).toBe(200);
    const entriesBefore = (await timelineOf(waiting.id)).length;
    await reofferWaitingCases(w.db, { now: NIGHT });
    expect(await assigneeOf(waiting.id)).toBeNull();
    expect((await timelineOf(waiting.id)).length).toBe(entriesBefore);
    // 08:00 UTC = 09:00 in Paris: the Paris agent's shift starts.
    await reofferWaitingCases(w.db, { now: new Date('2026-03-04T08:05:00Z') });
    const paris = agents.find((agent) => agent.timeZone === 'Europe/Paris')!;
    expect(await assigneeOf(waiting.id)).toBe(paris.id);
    expect((await timelineOf(waiting.id)).find((item) => item.action === 'ticket.auto-assigned')!.changes).toMatchObject({ trigger: 'shift-start', strategy: 'round-robin' });
    expect(await assigneeOf(byHand.id)).toBeNull();
  });

  it('a senior-only plan case never goes to a non-senior agent, and routes through the plan team', async () => {
    const { team, agents } = await w.team([{}, { senior: true }, {}], 'round-robin');
    const senior = agents.find((agent) => agent.senior)!;
    const premium = await premiumPlanFor(team.id);
    const organization = await w.make.organization({ planCode: premium.code });
    const requester = await w.make.contact(organization.id);
    for (let i = 0; i < 4; i++) {
      const ticket = await w.openCase({}, requester);
      const outcome = await autoAssignTicket(w.db, ticket.id, { now: BOTH_OPEN });
      expect(outcome).toMatchObject({ outcome: 'assigned', assigneeId: senior.id, teamId: team.id });
      expect((await call(t.app, w.dispatcherToken, 'GET', `/api/v1/tickets/${ticket.id}`)).json().teamId).toBe(team.id);
    }
    const { team: juniors } = await w.team([{}, {}], 'least-loaded');
    const ticket = await w.openCase({ teamId: juniors.id, priority: 'P1' }, requester);
    const outcome = await autoAssignTicket(w.db, ticket.id, { now: BOTH_OPEN });
    expect(outcome).toMatchObject({ outcome: 'left-unassigned', assigneeId: null });
    expect(outcome.reason).toContain('not senior');
  });

  it('respects max open cases, even for a P1', async () => {
    const { team, agents } = await w.team([{ maxOpenCases: 1 }, { maxOpenCases: 2 }], 'least-loaded');
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await autoAssignTicket(w.db, (await w.openCase({ teamId: team.id, priority: i === 3 ? 'P1' : 'P3' })).id, { now: BOTH_OPEN }));
    const [one, two] = [1, 2].map((cap) => agents.find((agent) => agent.maxOpenCases === cap)!.id);
    // Both idle at 0 %: the lower id first; then 1/1 is full, 0/2 takes two cases; then nobody has room.
    const first = one! < two! ? one : two;
    expect(outcomes.map((outcome) => outcome.assigneeId)).toEqual(first === one ? [one, two, two, null] : [two, one, two, null]);
    expect(outcomes[3]!.reason).toContain('2 at max open cases');
  });

  it('never overrides a manual assignee, leaves manual teams alone, and decides once on replay', async () => {
    const { team, agents } = await w.team([{}, {}], 'round-robin');
    const manual = await w.openCase({ teamId: team.id, assigneeId: w.dispatcher.id });
    expect(await autoAssignTicket(w.db, manual.id, { now: BOTH_OPEN })).toMatchObject({ outcome: 'not-routed', assigneeId: w.dispatcher.id });
    expect(await assigneeOf(manual.id)).toBe(w.dispatcher.id);

    const { team: manualTeam } = await w.team([{}], 'manual');
    const waiting = await w.openCase({ teamId: manualTeam.id });
    expect((await autoAssignTicket(w.db, waiting.id, { now: BOTH_OPEN })).outcome).toBe('not-routed');
    expect(await assigneeOf(waiting.id)).toBeNull();
    expect(await autoAssignTicket(w.db, (await w.openCase()).id, { now: BOTH_OPEN })).toMatchObject({ outcome: 'not-routed', reason: expect.stringContaining('no team') });

    const ticket = await w.openCase({ teamId: team.id });
    const first = await autoAssignTicket(w.db, ticket.id, { now: BOTH_OPEN });
    const replay = await autoAssignTicket(w.db, ticket.id, { now: BOTH_OPEN });
    expect(first.outcome).toBe('assigned');
    expect(replay).toMatchObject({ outcome: 'not-routed', assigneeId: first.assigneeId });
    // Unassigned by hand afterwards: a replayed event still does not route it again.
    await call(t.app, w.dispatcherToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { assigneeId: null });
    expect((await autoAssignTicket(w.db, ticket.id, { now: BOTH_OPEN })).outcome).toBe('not-routed');
    expect((await timelineOf(ticket.id)).filter((item) => item.action === 'ticket.auto-assigned')).toHaveLength(1);
    expect(agents.map((agent) => agent.id)).toContain(first.assigneeId);
  });

  it('the outbox handler routes cases opened through the API', async () => {
    const { team, agents } = await w.team([{}, {}], 'round-robin');
    const opened = [];
    for (let i = 0; i < 2; i++) opened.push((await call(t.app, w.dispatcherToken, 'POST', '/api/v1/tickets', { subject: `Via API ${i}`, requesterId: w.contact.id, teamId: team.id })).json());
    const processor = startOutboxProcessor(t.database, [autoAssignHandler(t.database, { now: () => BOTH_OPEN })], { pollIntervalMs: 10_000 });
    try {
      await processor.drain();
    } finally {
      await processor.stop();
    }
    expect(await Promise.all(opened.map((ticket) => assigneeOf(ticket.id)))).toEqual(agents.map((agent) => agent.id));
    const events = await w.db.selectFrom('outbox').select(['topic', 'payload']).where('topic', '=', 'ticket.assigned').execute();
    expect(events.map((event) => (event.payload as { ticketId: string }).ticketId)).toEqual(expect.arrayContaining(opened.map((ticket) => ticket.id)));
  });

  it('routes on the case as its creation event describes it, and reads the case for an event that does not say', async () => {
    const { team, agents } = await w.team([{}], 'round-robin');
    const described = (await call(t.app, w.dispatcherToken, 'POST', '/api/v1/tickets', { subject: 'Described', requesterId: w.contact.id, teamId: team.id })).json();
    const event = await w.db.selectFrom('outbox').select('payload').where('topic', '=', 'ticket.created').where(sql<boolean>`payload->>'ticketId' = ${described.id}`).executeTakeFirstOrThrow();
    expect(event.payload).toMatchObject({ teamId: team.id, assigneeId: null, planId: null, organizationId: described.organizationId, createdAt: expect.any(String) });
    // An event written before the insert described the case (only its id): the handler reads the case.
    const older = await w.openCase({ teamId: team.id });
    await w.db.deleteFrom('outbox').where('topic', '=', 'ticket.created').where(sql<boolean>`payload->>'ticketId' = ${older.id}`).execute();
    await enqueueEvent(w.db, 'ticket.created', { ticketId: older.id });
    const processor = startOutboxProcessor(t.database, [autoAssignHandler(t.database, { now: () => BOTH_OPEN })], { pollIntervalMs: 10_000 });
    try {
      await processor.drain();
    } finally {
      await processor.stop();
    }
    expect(await assigneeOf(described.id)).toBe(agents[0]!.id);
    expect(await assigneeOf(older.id)).toBe(agents[0]!.id);
  });

  it('PUT /teams/:id/routing is for admins, validates the strategy and knows the team', async () => {
    const { team } = await w.team([{}], 'manual');
    expect((await call(t.app, w.dispatcherToken, 'PUT', `/api/v1/teams/${team.id}/routing`, { strategy: 'round-robin' })).statusCode).toBe(403);
    const bad = await call(t.app, w.adminToken, 'PUT', `/api/v1/teams/${team.id}/routing`, { strategy: 'random' });
    expect(bad.statusCode).toBe(400);
    const unknown = await call(t.app, w.adminToken, 'PUT', '/api/v1/teams/00000000-0000-4000-8000-000000000999/routing', { strategy: 'least-loaded' });
    expect(unknown.json()).toMatchObject({ code: 'TEAM_NOT_FOUND' });
    expect(unknown.statusCode).toBe(404);
    const set = await call(t.app, w.adminToken, 'PUT', `/api/v1/teams/${team.id}/routing`, { strategy: 'least-loaded' });
    expect(set.json()).toMatchObject({ teamId: team.id, strategy: 'least-loaded' });
    const contactToken = await w.make.token(w.contact);
    expect((await call(t.app, contactToken, 'GET', `/api/v1/teams/${team.id}/routing`)).statusCode).toBe(403);
  });

  async function premiumPlanFor(teamId: string): Promise<Plan> {
    const targets = { firstResponse: { minutes: 60 }, nextResponse: { minutes: 60 }, resolution: { minutes: 480 } };
    return createPlan(w.db, SYSTEM_ACTOR, {
      code: `premium-${teamId.slice(0, 8)}`,
      name: 'Premium hosting',
      calendarId: 'c0000000-0000-4000-8000-000000000002',
      targets: { P1: targets, P2: targets, P3: targets, P4: targets },
      seniorOnly: true,
      teamId,
    });
  }
});
