import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/domain/accounts/index.ts';
import type { User } from '../../src/domain/identity/index.ts';
import { call, createTestApp, factories, type TestApp } from '../support/test-app.ts';

describe('rating agent answers', () => {
  let t: TestApp;
  let make: ReturnType<typeof factories>;
  let agentToken: string;
  let customer: User;
  let customerToken: string;
  let otherOrgToken: string;
  let organization: Organization;
  let ticketId: string;
  let answerId: string;
  let noteId: string;
  let customerMessageId: string;

  beforeAll(async () => {
    t = await createTestApp();
    make = factories(t.database);
    const agent = await make.agent();
    agentToken = await make.token(agent);
    organization = await make.organization();
    customer = await make.contact(organization.id);
    customerToken = await make.token(customer);
    const otherOrg = await make.organization();
    otherOrgToken = await make.token(await make.contact(otherOrg.id));
    const created = await call(t.app, customerToken, 'POST', '/api/v1/tickets', { subject: 'Map server slow', body: 'Since this morning.' });
    expect(created.statusCode).toBe(201);
    ticketId = created.json().id;
    const messages = await call(t.app, customerToken, 'GET', `/api/v1/tickets/${ticketId}/messages`);
    customerMessageId = messages.json().items[0].id;
    answerId = (await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticketId}/messages`, { body: 'Restart the tile service.' })).json().id;
    noteId = (await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticketId}/messages`, { body: 'Probably the proxy.', internal: true })).json().id;
  });
  afterAll(() => t.close());

  const rate = (token: string, messageId: string, body: unknown) => call(t.app, token, 'PUT', `/api/v1/tickets/${ticketId}/messages/${messageId}/rating`, body);

  it('a customer rates an agent answer, and rating again replaces the first rating', async () => {
    const first = await rate(customerToken, answerId, { rating: 'bad', comment: '  Did not help  ' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ messageId: answerId, ticketId, rating: 'bad', comment: 'Did not help', ratedBy: customer.id });
    const second = await rate(customerToken, answerId, { rating: 'good' });
    expect(second.json()).toMatchObject({ rating: 'good', comment: null });
    const list = await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticketId}/ratings`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([expect.objectContaining({ messageId: answerId, rating: 'good', comment: null })]);
    const rated = await t.database.db.selectFrom('outbox').select('payload').where('topic', '=', 'ticket.rated').execute();
    expect(rated).toHaveLength(2); // agents viewing the case see the rating arrive
    const timeline = await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticketId}/timeline`);
    expect(timeline.json().items.filter((entry: { action: string }) => entry.action === 'ticket.rated')).toHaveLength(2);
  });

  it('an internal note is not found, and a customer message cannot be rated', async () => {
    expect((await rate(customerToken, noteId, { rating: 'good' })).json().code).toBe('MESSAGE_NOT_FOUND');
    const own = await rate(customerToken, customerMessageId, { rating: 'good' });
    expect(own.statusCode).toBe(422);
    expect(own.json().code).toBe('RATING_MESSAGE_INVALID');
  });

  it('agents cannot rate; other organisations cannot see the case; bad input is a 400', async () => {
    const byAgent = await rate(agentToken, answerId, { rating: 'good' });
    expect(byAgent.statusCode).toBe(403);
    expect(byAgent.json().code).toBe('RATING_CUSTOMERS_ONLY');
    const stranger = await rate(otherOrgToken, answerId, { rating: 'good' });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().code).toBe('TICKET_NOT_FOUND');
    expect((await call(t.app, otherOrgToken, 'GET', `/api/v1/tickets/${ticketId}/ratings`)).statusCode).toBe(404);
    const invalid = await rate(customerToken, answerId, { rating: 'great' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().code).toBe('VALIDATION_FAILED');
    expect((await rate(customerToken, answerId, { rating: 'good', comment: 'x'.repeat(2001) })).statusCode).toBe(400);
  });

  it('a message of another case is not found through this case', async () => {
    const other = (await call(t.app, customerToken, 'POST', '/api/v1/tickets', { subject: 'Another', body: 'b' })).json().id;
    const otherAnswer = (await call(t.app, agentToken, 'POST', `/api/v1/tickets/${other}/messages`, { body: 'Answer elsewhere' })).json().id;
    expect((await rate(customerToken, otherAnswer, { rating: 'good' })).statusCode).toBe(404);
  });
});
