import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePriority } from '../../src/domain/routing/index.ts';
import { call, createTestApp, factories, type TestApp } from '../support/test-app.ts';

const VPS_DOWN = 'e0000000-0000-4000-8000-000000000001';
const DOMAIN_QUESTION = 'e0000000-0000-4000-8000-000000000002';

describe('priority from product and impact', () => {
  let t: TestApp;
  let adminToken: string;
  let agentToken: string;
  let contactToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    const make = factories(t.database);
    adminToken = await make.token(await make.admin());
    agentToken = await make.token(await make.agent());
    contactToken = await make.token(await make.contact((await make.organization()).id));
  });
  afterAll(() => t.close());

  const evaluate = (body: unknown, token = agentToken) => call(t.app, token, 'POST', '/api/v1/priority-rules/evaluate', body);

  it('ships the hosting examples: a server down outranks a domain question', async () => {
    const rules = (await call(t.app, agentToken, 'GET', '/api/v1/priority-rules')).json().items;
    expect(rules).toEqual([
      expect.objectContaining({ id: VPS_DOWN, product: 'Managed VPS', impact: 'production-down', priority: 'P1', position: 10 }),
      expect.objectContaining({ id: DOMAIN_QUESTION, product: 'Domains', impact: 'question', priority: 'P4', position: 20 }),
    ]);
    expect((await evaluate({ product: 'Managed VPS', impact: 'production-down' })).json()).toMatchObject({ priority: 'P1', ruleId: VPS_DOWN });
    expect((await evaluate({ product: 'Domains', impact: 'question' })).json()).toMatchObject({ priority: 'P4', ruleId: DOMAIN_QUESTION });
    const none = (await evaluate({ product: 'Domains', impact: 'production-down' })).json();
    expect(none).toMatchObject({ priority: null, ruleId: null });
    expect(none.reason).toContain('no rule');
  });

  it('admins add rules; product-specific rules win over generic ones whatever their position', async () => {
    const generic = await call(t.app, adminToken, 'POST', '/api/v1/priority-rules', { impact: 'production-down', priority: 'P2', position: 1 });
    expect(generic.statusCode).toBe(201);
    expect(generic.json()).toMatchObject({ product: null, impact: 'production-down', priority: 'P2', position: 1 });
    expect((await evaluate({ product: 'Managed VPS', impact: 'production-down' })).json().ruleId).toBe(VPS_DOWN);
    expect((await evaluate({ product: 'Mail', impact: 'production-down' })).json()).toMatchObject({ priority: 'P2', ruleId: generic.json().id });
    expect((await evaluate({ impact: 'production-down' })).json().priority).toBe('P2');
    const appended = await call(t.app, adminToken, 'POST', '/api/v1/priority-rules', { product: '  Mail ', impact: 'Degraded', priority: 'P3' });
    expect(appended.json()).toMatchObject({ product: 'Mail', impact: 'degraded', position: 30 });
    expect((await evaluate({ product: 'mail', impact: 'degraded' })).json().ruleId).toBe(appended.json().id);
    const listed = (await call(t.app, agentToken, 'GET', '/api/v1/priority-rules')).json().items.map((rule: { position: number }) => rule.position);
    expect(listed).toEqual([...listed].sort((x, y) => x - y));
  });

  it('the same evaluation is callable inside a transaction (how case creation would use it)', async () => {
    const result = await t.database.db.transaction().execute((tx) => evaluatePriority(tx, { product: 'Managed VPS', impact: 'production-down' }));
    expect(result).toMatchObject({ priority: 'P1', ruleId: VPS_DOWN });
  });

  it('rules are removable by admins; unknown rules are 404', async () => {
    const created = (await call(t.app, adminToken, 'POST', '/api/v1/priority-rules', { impact: 'security-incident', priority: 'P1' })).json();
    expect((await call(t.app, agentToken, 'DELETE', `/api/v1/priority-rules/${created.id}`)).statusCode).toBe(403);
    expect((await call(t.app, adminToken, 'DELETE', `/api/v1/priority-rules/${created.id}`)).statusCode).toBe(204);
    const again = await call(t.app, adminToken, 'DELETE', `/api/v1/priority-rules/${created.id}`);
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('PRIORITY_RULE_NOT_FOUND');
    expect((await evaluate({ impact: 'security-incident' })).json().priority).toBeNull();
  });

  it('validates input and keeps writing to admins and reading to agents', async () => {
    expect((await call(t.app, agentToken, 'POST', '/api/v1/priority-rules', { impact: 'question', priority: 'P4' })).statusCode).toBe(403);
    expect((await call(t.app, adminToken, 'POST', '/api/v1/priority-rules', { impact: 'question', priority: 'P0' })).statusCode).toBe(400);
    expect((await call(t.app, adminToken, 'POST', '/api/v1/priority-rules', { impact: 'server is down!', priority: 'P1' })).statusCode).toBe(400);
    expect((await evaluate({ product: 'Domains' })).statusCode).toBe(400);
    expect((await call(t.app, contactToken, 'GET', '/api/v1/priority-rules')).statusCode).toBe(403);
    expect((await evaluate({ impact: 'question' }, contactToken)).statusCode).toBe(403);
  });
});
