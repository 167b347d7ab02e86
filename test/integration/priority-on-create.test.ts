import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, factories, type TestApp } from '../support/test-app.ts';

describe('a new case takes its priority from product and impact', () => {
  let t: TestApp;
  let contactToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    const make = factories(t.database);
    const org = await make.organization({ planCode: 'standard' });
    contactToken = await make.token(await make.contact(org.id));
  });
  afterAll(() => t.close());

  it('a hosting "server down" is P1 while a domain question waits as P4; an explicit priority wins; no rule keeps P3', async () => {
    const serverDown = await call(t.app, contactToken, 'POST', '/api/v1/tickets', { subject: 'Site down', product: 'Managed VPS', impact: 'production-down' });
    expect(serverDown.statusCode).toBe(201);
    expect(serverDown.json().priority).toBe('P1');
    const question = await call(t.app, contactToken, 'POST', '/api/v1/tickets', { subject: 'Transfer?', product: 'Domains', impact: 'question' });
    expect(question.json().priority).toBe('P4');
    const explicit = await call(t.app, contactToken, 'POST', '/api/v1/tickets', { subject: 'Mine', product: 'Managed VPS', impact: 'production-down', priority: 'P2' });
    expect(explicit.json().priority).toBe('P2');
    const unknown = await call(t.app, contactToken, 'POST', '/api/v1/tickets', { subject: 'Other', product: 'Backups', impact: 'curious' });
    expect(unknown.json().priority).toBe('P3');
    const timeline = (await call(t.app, contactToken, 'GET', `/api/v1/tickets/${serverDown.json().id}/timeline`)).json().items;
    expect(timeline[0]).toMatchObject({ action: 'ticket.created', changes: { priority: 'P1' } });
    const bad = await call(t.app, contactToken, 'POST', '/api/v1/tickets', { subject: 'x', impact: 'Not A Slug!' });
    expect(bad.statusCode).toBe(400);
  });
});
