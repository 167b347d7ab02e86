import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/domain/accounts/index.ts';
import type { User } from '../../src/domain/identity/index.ts';
import { createTeam, SYSTEM_ACTOR } from '../../src/domain/identity/index.ts';
import { createTicket, createTicketsInTransaction } from '../../src/domain/tickets/index.ts';
import { actorOf, call, createTestApp, factories, type TestApp } from '../support/test-app.ts';

/** Concurrent case creations share transactions (group commit): each caller must still get its own case or its own error. */
describe('cases opened at the same time', () => {
  let t: TestApp;
  let org: Organization;
  let agent: User;
  let contact: User;
  let otherContact: User;
  let agentToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    const make = factories(t.database);
    org = await make.organization();
    const other = await make.organization();
    agent = await make.agent();
    contact = await make.contact(org.id);
    otherContact = await make.contact(other.id);
    agentToken = await make.token(agent);
  });
  afterAll(() => t.close());

  it('40 concurrent creations give 40 cases with distinct numbers, each with its message, audit row and outbox event', async () => {
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: `Burst ${index}`, body: `Body of burst ${index}`, requesterId: contact.id, priority: index % 2 ? 'P2' : 'P3', tags: ['burst'] }),
      ),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array(40).fill(201));
    const tickets = responses.map((response) => response.json());
    tickets.forEach((ticket, index) => expect(ticket).toMatchObject({ subject: `Burst ${index}`, requesterId: contact.id, organizationId: org.id, priority: index % 2 ? 'P2' : 'P3', tags: ['burst'], channel: 'api' }));
    expect(new Set(tickets.map((ticket) => ticket.number)).size).toBe(40);
    // The answer is the case as stored, field for field (the insert returns only what the database chose).
    for (const ticket of tickets.slice(0, 8)) expect((await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticket.id}`)).json()).toEqual(ticket);
    const ids = tickets.map((ticket) => ticket.id as string);
    const db = t.database.db;
    const messages = await db.selectFrom('messages').select(['ticket_id', 'body', 'author_id']).where('ticket_id', 'in', ids).execute();
    expect(messages).toHaveLength(40);
    for (const [index, ticket] of tickets.entries()) expect(messages.find((message) => message.ticket_id === ticket.id)).toMatchObject({ body: `Body of burst ${index}`, author_id: contact.id });
    const audit = await db.selectFrom('audit_events').select(['ticket_id', 'actor_id', 'changes']).where('action', '=', 'ticket.created').where('ticket_id', 'in', ids).execute();
    expect(audit).toHaveLength(40);
    expect(audit.every((row) => row.actor_id === agent.id)).toBe(true);
    const events = await sql<{ payload: { ticketId: string; number: number; requesterId: string } }>`select payload from outbox where topic = 'ticket.created' and payload->>'ticketId' = any(${ids}::text[])`.execute(db);
    expect(events.rows).toHaveLength(40);
    // planId: the plan the case was written with (none here), which tells the SLA handler there are no clocks to start.
    for (const ticket of tickets) expect(events.rows.find((row) => row.payload.ticketId === ticket.id)?.payload).toMatchObject({ number: ticket.number, requesterId: contact.id, planId: null });
  });

  it('a bad request among concurrent good ones gets its own error; the others are created', async () => {
    const good = (index: number) => call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: `Mixed ${index}`, requesterId: contact.id });
    const responses = await Promise.all([
      good(1),
      call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Wrong organisation', requesterId: otherContact.id, organizationId: org.id }),
      good(2),
      call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Nobody', requesterId: '00000000-0000-4000-8000-000000000000' }),
      good(3),
    ]);
    expect(responses.map((response) => response.statusCode)).toEqual([201, 422, 201, 422, 201]);
    expect(responses[1]!.json().code).toBe('TICKET_REQUESTER_INVALID');
    expect(responses[3]!.json().code).toBe('TICKET_REQUESTER_INVALID');
    const created = await t.database.db.selectFrom('tickets').select('subject').where('subject', 'in', ['Mixed 1', 'Mixed 2', 'Mixed 3', 'Wrong organisation', 'Nobody']).execute();
    expect(created.map((row) => row.subject).sort()).toEqual(['Mixed 1', 'Mixed 2', 'Mixed 3']);
  });

  it('each refusal the insert statement makes reaches its own request, in a group with accepted cases', async () => {
    const make = factories(t.database);
    const inactive = await make.contact(org.id);
    await t.database.db.updateTable('users').set({ is_active: false }).where('id', '=', inactive.id).execute();
    const team = await createTeam(t.database.db, SYSTEM_ACTOR, { name: `Group team ${Date.now()}` });
    const post = (body: Record<string, unknown>) => call(t.app, agentToken, 'POST', '/api/v1/tickets', body);
    const responses = await Promise.all([
      post({ subject: 'Refusal ok 1', requesterId: contact.id, assigneeId: agent.id, teamId: team.id }),
      post({ subject: 'Refusal inactive', requesterId: inactive.id }),
      post({ subject: 'Refusal contact assignee', requesterId: contact.id, assigneeId: otherContact.id }),
      post({ subject: 'Refusal unknown team', requesterId: contact.id, teamId: '00000000-0000-4000-8000-000000000001' }),
      post({ subject: 'Refusal no organisation' }),
      post({ subject: 'Refusal ok 2', requesterId: otherContact.id }),
    ]);
    expect(responses.map((response) => [response.statusCode, response.json().code])).toEqual([
      [201, undefined],
      [422, 'TICKET_REQUESTER_INVALID'],
      [422, 'TICKET_ASSIGNEE_INVALID'],
      [422, 'TICKET_TEAM_INVALID'],
      [422, 'TICKET_REQUESTER_INVALID'],
      [201, undefined],
    ]);
    expect(responses[4]!.json().details).toMatchObject({ reason: 'an agent-requested case needs organizationId' });
    expect(responses[0]!.json()).toMatchObject({ requesterId: contact.id, organizationId: org.id, assigneeId: agent.id, teamId: team.id, status: 'open' });
    expect(responses[5]!.json()).toMatchObject({ requesterId: otherContact.id, organizationId: otherContact.organizationId });
    const created = await t.database.db.selectFrom('tickets').select('subject').where('subject', 'like', 'Refusal%').execute();
    expect(created.map((row) => row.subject).sort()).toEqual(['Refusal ok 1', 'Refusal ok 2']);
    const audit = await t.database.db.selectFrom('audit_events').select('ticket_id').where('action', '=', 'ticket.created').where('ticket_id', 'in', [responses[0]!.json().id, responses[5]!.json().id]).execute();
    expect(audit).toHaveLength(2);
  });

  it('in a transaction (the mail intake), one refused case writes none of its group', async () => {
    const actor = actorOf(agent);
    const outcome = await t.database.db
      .transaction()
      .execute((tx) =>
        createTicketsInTransaction(tx, [
          { actor, input: { subject: 'Atomic good', requesterId: contact.id } },
          { actor, input: { subject: 'Atomic bad', requesterId: contact.id, assigneeId: contact.id } },
        ]),
      )
      .catch((error: { code?: string }) => error);
    expect((outcome as { code?: string }).code).toBe('TICKET_ASSIGNEE_INVALID');
    expect(await t.database.db.selectFrom('tickets').select('id').where('subject', 'like', 'Atomic%').execute()).toEqual([]);
  });

  it('a creation the database refuses fails alone: the cases grouped with it are still created', async () => {
    const actor = actorOf(agent);
    // A NUL character cannot be stored: the shared insert fails, and each case is then retried on its own.
    const outcomes = await Promise.allSettled(
      ['Grouped A', 'Grouped \u0000 bad', 'Grouped B', 'Grouped C'].map((subject) => createTicket(t.database.db, actor, { subject, body: 'x', requesterId: contact.id })),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const created = await t.database.db.selectFrom('tickets').select('subject').where('subject', 'like', 'Grouped%').execute();
    expect(created.map((row) => row.subject).sort()).toEqual(['Grouped A', 'Grouped B', 'Grouped C']);
  });
});
