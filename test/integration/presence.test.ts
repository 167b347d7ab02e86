import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/identity/index.ts';
import { isEventVisible } from '../../src/http/routes/events/stream.route.ts';
import { actorOf, call, createTestApp, factories, type TestApp } from '../support/test-app.ts';

describe('collision detection: agents announce presence on a case', () => {
  let t: TestApp;
  let agent: User;
  let agentToken: string;
  let customer: User;
  let customerToken: string;
  let ticketId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const make = factories(t.database);
    agent = await make.agent({ name: 'Ada Agent' });
    agentToken = await make.token(agent);
    const organization = await make.organization();
    customer = await make.contact(organization.id);
    customerToken = await make.token(customer);
    ticketId = (await call(t.app, customerToken, 'POST', '/api/v1/tickets', { subject: 'Presence', body: 'b' })).json().id;
  });
  afterAll(() => t.close());

  const presenceEvents = () =>
    t.database.db.selectFrom('outbox').select(['topic', 'payload']).where('topic', '=', 'ticket.presence').execute() as Promise<Array<{ topic: string; payload: Record<string, unknown> | string }>>;

  it('an agent viewing then typing queues internal ticket.presence events that customers never receive', async () => {
    expect((await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticketId}/presence`, { state: 'viewing' })).statusCode).toBe(204);
    expect((await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticketId}/presence`, { state: 'typing' })).statusCode).toBe(204);
    const events = (await presenceEvents()).map((row) => (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>);
    expect(events.map((payload) => payload.state)).toEqual(['viewing', 'typing']);
    expect(events[1]).toMatchObject({ ticketId, userId: agent.id, name: 'Ada Agent', internal: true });
    const event = { id: '1', topic: 'ticket.presence', payload: events[1]! };
    expect(isEventVisible(actorOf(agent), event)).toBe(true);
    expect(isEventVisible(actorOf(customer), event)).toBe(false);
  });

  it('customers cannot announce presence; unknown cases and states are refused', async () => {
    const byCustomer = await call(t.app, customerToken, 'POST', `/api/v1/tickets/${ticketId}/presence`, { state: 'viewing' });
    expect(byCustomer.statusCode).toBe(403);
    const unknown = await call(t.app, agentToken, 'POST', '/api/v1/tickets/00000000-0000-4000-8000-000000000000/presence', { state: 'viewing' });
    expect(unknown.json().code).toBe('TICKET_NOT_FOUND');
    expect((await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticketId}/presence`, { state: 'dancing' })).statusCode).toBe(400);
  });
});
