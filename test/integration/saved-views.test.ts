import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, factories, type TestApp } from '../support/test-app.ts';

describe('saved queue views', () => {
  let t: TestApp;
  let aliceToken: string;
  let bobToken: string;
  let customerToken: string;
  let organizationId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const make = factories(t.database);
    aliceToken = await make.token(await make.agent({ name: 'Alice' }));
    bobToken = await make.token(await make.agent({ name: 'Bob' }));
    const organization = await make.organization();
    organizationId = organization.id;
    customerToken = await make.token(await make.contact(organization.id));
  });
  afterAll(() => t.close());

  it('lists the built-in views for every agent', async () => {
    const response = await call(t.app, aliceToken, 'GET', '/api/v1/views');
    expect(response.statusCode).toBe(200);
    const slugs = response.json().items.map((view: { slug: string }) => view.slug);
    expect(slugs).toEqual(['mine', 'team', 'unassigned', 'premium', 'pending-customer', 'all-open']);
    expect(response.json().items.every((view: { builtIn: boolean; id: string | null }) => view.builtIn && view.id === null)).toBe(true);
  });

  it('saves a view from queue filters, which only its owner sees and the queue accepts as is', async () => {
    const saved = await call(t.app, aliceToken, 'POST', '/api/v1/views', { name: 'Database P1s', filters: { view: 'all-open', priority: 'P1,P2', tag: 'database', organizationId }, sort: 'age' });
    expect(saved.statusCode).toBe(201);
    const view = saved.json();
    expect(view).toMatchObject({ name: 'Database P1s', builtIn: false, sort: 'age', filters: { view: 'all-open', priority: ['P1', 'P2'], tag: 'database', organizationId } });
    expect(view.slug).toMatch(/^database-p1s-[0-9a-f]{8}$/);

    const mine = (await call(t.app, aliceToken, 'GET', '/api/v1/views')).json().items;
    expect(mine.filter((item: { builtIn: boolean }) => !item.builtIn).map((item: { name: string }) => item.name)).toEqual(['Database P1s']);
    const bobs = (await call(t.app, bobToken, 'GET', '/api/v1/views')).json().items;
    expect(bobs.some((item: { id: string }) => item.id === view.id)).toBe(false);

    // The stored filters are a valid queue query.
    const query = new URLSearchParams({ ...view.filters, priority: view.filters.priority.join(','), sort: view.sort });
    expect((await call(t.app, aliceToken, 'GET', `/api/v1/tickets?${query}`)).statusCode).toBe(200);
  });

  it('refuses a second view with the same name for the same agent, but not for another agent', async () => {
    await call(t.app, aliceToken, 'POST', '/api/v1/views', { name: 'Unassigned P1', filters: { view: 'unassigned', priority: 'P1' } });
    const again = await call(t.app, aliceToken, 'POST', '/api/v1/views', { name: 'unassigned p1', filters: { view: 'unassigned' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('VIEW_NAME_TAKEN');
    expect((await call(t.app, bobToken, 'POST', '/api/v1/views', { name: 'Unassigned P1', filters: { view: 'unassigned' } })).statusCode).toBe(201);
  });

  it('validates filters with the queue schema', async () => {
    for (const body of [
      { name: 'Bad priority', filters: { priority: 'P9' } },
      { name: 'Bad view', filters: { view: 'everything' } },
      { name: 'Unknown filter', filters: { colour: 'red' } },
      { name: 'Bad org', filters: { organizationId: 'not-a-uuid' } },
      { name: '   ', filters: {} },
      { name: 'Bad sort', filters: {}, sort: 'random' },
    ]) {
      const response = await call(t.app, aliceToken, 'POST', '/api/v1/views', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().code).toBe('VALIDATION_FAILED');
    }
  });

  it('deletes only one’s own views; another agent’s view is not found', async () => {
    const view = (await call(t.app, aliceToken, 'POST', '/api/v1/views', { name: 'To delete', filters: { status: 'open' } })).json();
    const byBob = await call(t.app, bobToken, 'DELETE', `/api/v1/views/${view.id}`);
    expect(byBob.statusCode).toBe(404);
    expect(byBob.json().code).toBe('VIEW_NOT_FOUND');
    expect((await call(t.app, aliceToken, 'DELETE', `/api/v1/views/${view.id}`)).statusCode).toBe(204);
    const again = await call(t.app, aliceToken, 'DELETE', `/api/v1/views/${view.id}`);
    expect(again.json().code).toBe('VIEW_NOT_FOUND');
    const names = (await call(t.app, aliceToken, 'GET', '/api/v1/views')).json().items.map((item: { name: string }) => item.name);
    expect(names).not.toContain('To delete');
  });

  it('is for agents only', async () => {
    expect((await call(t.app, customerToken, 'GET', '/api/v1/views')).json().code).toBe('FORBIDDEN');
    const post = await call(t.app, customerToken, 'POST', '/api/v1/views', { name: 'Mine', filters: {} });
    expect(post.statusCode).toBe(403);
    expect((await call(t.app, null, 'GET', '/api/v1/views')).statusCode).toBe(401);
  });
});
