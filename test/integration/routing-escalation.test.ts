import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../support/test-app.ts';
import { routingWorld, type RoutingWorld } from './routing-world.ts';

type Entry = { action: string; actorId: string | null; changes: Record<string, unknown> };

describe('escalating a case up the support lines', () => {
  let t: TestApp;
  let w: RoutingWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await routingWorld(t);
  });
  afterAll(() => t.close());

  const escalate = (ticketId: string, body: unknown, token = w.dispatcherToken) => call(t.app, token, 'POST', `/api/v1/tickets/${ticketId}/escalate`, body);
  const timelineOf = async (ticketId: string, token = w.dispatcherToken) => (await call(t.app, token, 'GET', `/api/v1/tickets/${ticketId}/timeline`)).json().items as Entry[];
  const notificationsOf = async (userId: string) => w.db.selectFrom('notifications').selectAll().where('user_id', '=', userId).where('kind', '=', 'case.escalated').execute();

  it('L1 → L2 with a reason: on the timeline, re-routed to an L2 agent by the team strategy, who is notified', async () => {
    const { team, agents } = await w.team([{ supportLine: 'L1' }, { supportLine: 'L2' }, { supportLine: 'L2', maxOpenCases: 0 }], 'least-loaded');
    const l1 = agents.find((agent) => agent.supportLine === 'L1')!;
    const l2 = agents.find((agent) => agent.supportLine === 'L2' && agent.maxOpenCases === null)!;
    const ticket = await w.openCase({ teamId: team.id, supportLine: 'L1', assigneeId: l1.id, body: 'The versioned geodatabase reconcile takes hours.' });
    await call(t.app, w.dispatcherToken, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { body: 'Checked the indexes.', internal: true });

    const response = await escalate(ticket.id, { toLine: 'L2', reason: 'Reproduced on 11.1; needs a versioning specialist.' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ fromLine: 'L1', toLine: 'L2', assigneeId: l2.id, notifiedUserIds: [l2.id] });
    expect(response.json().ticket).toMatchObject({ supportLine: 'L2', assigneeId: l2.id, teamId: team.id });
    expect(response.json().routing).toContain('least-loaded');

    const entries = await timelineOf(ticket.id);
    const escalated = entries.find((entry) => entry.action === 'ticket.escalated')!;
    expect(escalated.actorId).toBe(w.dispatcher.id);
    expect(escalated.changes).toMatchObject({
      fromLine: 'L1',
      toLine: 'L2',
      reason: 'Reproduced on 11.1; needs a versioning specialist.',
      supportLine: { before: 'L1', after: 'L2' },
      assigneeId: { before: l1.id, after: l2.id },
    });
    // The case keeps all its history: creation, the note, then the escalation, in order.
    expect(entries.map((entry) => entry.action)).toEqual(['ticket.created', 'note.added', 'ticket.escalated']);
    const messages = (await call(t.app, w.dispatcherToken, 'GET', `/api/v1/tickets/${ticket.id}/messages`)).json().items;
    expect(messages).toHaveLength(2);

    const [notice] = await notificationsOf(l2.id);
    expect(notice).toMatchObject({ ticket_id: ticket.id, kind: 'case.escalated' });
    expect(notice!.payload).toMatchObject({ fromLine: 'L1', toLine: 'L2', reason: 'Reproduced on 11.1; needs a versioning specialist.' });
    const events = await w.db.selectFrom('outbox').select(['topic', 'payload']).where('topic', '=', 'ticket.escalated').execute();
    expect(events.map((event) => (event.payload as { ticketId: string }).ticketId)).toContain(ticket.id);

    const contactToken = await w.make.token(w.contact);
    expect((await timelineOf(ticket.id, contactToken)).map((entry) => entry.action)).not.toContain('ticket.escalated');
  });

  it('moves up two lines at once; a manual team clears the assignee and tells the team lead', async () => {
    const { team, lead } = await w.team([{ supportLine: 'L3' }], 'manual', { lead: { supportLine: 'L3', maxOpenCases: 0 } });
    const ticket = await w.openCase({ supportLine: 'L1', assigneeId: w.dispatcher.id });
    const response = await escalate(ticket.id, { toLine: 'L3', reason: 'Crash in the core library.', teamId: team.id });
    expect(response.json()).toMatchObject({ fromLine: 'L1', toLine: 'L3', assigneeId: null, notifiedUserIds: [lead!.id] });
    expect(response.json().ticket).toMatchObject({ supportLine: 'L3', assigneeId: null, teamId: team.id, status: 'open' });
    expect(response.json().routing).toContain('manually');
    expect(await notificationsOf(lead!.id)).toHaveLength(2); // in-app and e-mail
  });

  it('refuses L3 → L2, a move to the same line, and a closed case, with ESCALATION_INVALID (409)', async () => {
    const l3 = await w.openCase({ supportLine: 'L3' });
    const down = await escalate(l3.id, { toLine: 'L2', reason: 'Back to second line.' });
    expect(down.statusCode).toBe(409);
    expect(down.json()).toMatchObject({ code: 'ESCALATION_INVALID', details: { from: 'L3', to: 'L2' } });
    const l2 = await w.openCase({ supportLine: 'L2' });
    expect((await escalate(l2.id, { toLine: 'L2', reason: 'Again.' })).json().code).toBe('ESCALATION_INVALID');
    const unlined = await w.openCase();
    expect((await escalate(unlined.id, { toLine: 'L2', reason: 'No line means L1.' })).json()).toMatchObject({ fromLine: 'L1', toLine: 'L2' });
    const solved = await w.openCase();
    await call(t.app, w.dispatcherToken, 'PATCH', `/api/v1/tickets/${solved.id}`, { status: 'solved' });
    expect((await escalate(solved.id, { toLine: 'L2', reason: 'Too late.' })).json().code).toBe('ESCALATION_INVALID');
    expect((await timelineOf(l3.id)).map((entry) => entry.action)).not.toContain('ticket.escalated');
  });

  it('validates the request and keeps escalation to agents', async () => {
    const ticket = await w.openCase();
    expect((await escalate(ticket.id, { toLine: 'L2', reason: '' })).statusCode).toBe(400);
    expect((await escalate(ticket.id, { toLine: 'L2', reason: 'x'.repeat(2001) })).statusCode).toBe(400);
    expect((await escalate(ticket.id, { toLine: 'L1', reason: 'Down?' })).statusCode).toBe(400);
    expect((await escalate(ticket.id, { toLine: 'L2' })).statusCode).toBe(400);
    const badTeam = await escalate(ticket.id, { toLine: 'L2', reason: 'Elsewhere.', teamId: '00000000-0000-4000-8000-000000000999' });
    expect(badTeam.json().code).toBe('TICKET_TEAM_INVALID');
    expect((await escalate('00000000-0000-4000-8000-000000000998', { toLine: 'L2', reason: 'Ghost.' })).statusCode).toBe(404);
    const contactToken = await w.make.token(w.contact);
    expect((await escalate(ticket.id, { toLine: 'L2', reason: 'Please hurry.' }, contactToken)).statusCode).toBe(403);
    expect((await call(t.app, w.dispatcherToken, 'GET', `/api/v1/tickets/${ticket.id}`)).json().supportLine).toBeNull();
  });
});
