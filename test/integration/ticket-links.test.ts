import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, factories, type TestApp } from '../support/test-app.ts';

describe('linking cases by their number', () => {
  let t: TestApp;
  let agentToken: string;
  let customerToken: string;
  let otherOrgCaseNumber: number;
  let first: { id: string; number: number };
  let second: { id: string; number: number };

  beforeAll(async () => {
    t = await createTestApp();
    const make = factories(t.database);
    agentToken = await make.token(await make.agent());
    const organization = await make.organization();
    customerToken = await make.token(await make.contact(organization.id, { roles: ['customer-admin'] }));
    const open = async (token: string, subject: string) => (await call(t.app, token, 'POST', '/api/v1/tickets', { subject, body: 'Details' })).json();
    first = await open(customerToken, 'Tiles missing');
    second = await open(customerToken, 'Tiles missing again');
    const otherToken = await make.token(await make.contact((await make.organization()).id));
    otherOrgCaseNumber = (await open(otherToken, 'Someone else')).number;
  });
  afterAll(() => t.close());

  it('an agent links #n as a duplicate; both cases list the link', async () => {
    const linked = await call(t.app, agentToken, 'POST', `/api/v1/tickets/${first.id}/links`, { kind: 'duplicate', targetNumber: second.number });
    expect(linked.statusCode).toBe(201);
    expect(linked.json()).toMatchObject({ ticketId: first.id, kind: 'duplicate', targetTicketId: second.id });
    for (const id of [first.id, second.id]) {
      const links = (await call(t.app, agentToken, 'GET', `/api/v1/tickets/${id}/links`)).json().items;
      expect(links).toEqual([expect.objectContaining({ kind: 'duplicate', ticketId: first.id, targetTicketId: second.id })]);
    }
  });

  it('an unknown number is not found; a number and an id together are refused', async () => {
    const unknown = await call(t.app, agentToken, 'POST', `/api/v1/tickets/${first.id}/links`, { kind: 'related', targetNumber: 999_999 });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('TICKET_NOT_FOUND');
    const both = await call(t.app, agentToken, 'POST', `/api/v1/tickets/${first.id}/links`, { kind: 'related', targetNumber: second.number, targetId: second.id });
    expect(both.json().code).toBe('TICKET_LINK_INVALID');
    const self = await call(t.app, agentToken, 'POST', `/api/v1/tickets/${first.id}/links`, { kind: 'related', targetNumber: first.number });
    expect(self.json().code).toBe('TICKET_LINK_INVALID');
  });

  it('customers cannot link, even to a number they could guess', async () => {
    const response = await call(t.app, customerToken, 'POST', `/api/v1/tickets/${first.id}/links`, { kind: 'related', targetNumber: otherOrgCaseNumber });
    expect(response.statusCode).toBe(403);
  });
});
