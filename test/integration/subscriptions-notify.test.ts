import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/domain/accounts/index.ts';
import type { User } from '../../src/domain/identity/index.ts';
import { buildEventHandlers } from '../../src/jobs/background.ts';
import { startOutboxProcessor, type OutboxProcessor } from '../../src/platform/outbox/processor.ts';
import { call, createTestApp, factories, type TestApp } from '../support/test-app.ts';

type NotificationItem = { kind: string; ticketId: string; payload: Record<string, unknown> };

describe('TAM subscriptions: followers hear of every new case with the environment profile', () => {
  let t: TestApp;
  let processor: OutboxProcessor;
  let make: ReturnType<typeof factories>;
  let follower: User;
  let followerToken: string;
  let tam: User;
  let tamToken: string;
  let bystanderToken: string;
  let watched: Organization;
  let contactToken: string;
  let elsewhereToken: string;

  const components = [
    { product: 'ArcGIS Enterprise', version: '11.3', database: 'PostgreSQL', databaseVersion: '16.4', os: 'RHEL', osVersion: '9.4' },
    { product: 'Web Adaptor', version: '11.3', specialConfiguration: 'Behind an F5 load balancer with a custom reverse proxy' },
  ];

  const noticesFor = async (token: string, ticketId: string): Promise<NotificationItem[]> =>
    ((await call(t.app, token, 'GET', '/api/v1/notifications')).json().items as NotificationItem[]).filter((item) => item.kind === 'case.new-subscribed' && item.ticketId === ticketId);
  const countRows = async (ticketId: string) =>
    Number((await t.database.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('count')).where('dedupe_key', '=', `subscribed:${ticketId}`).executeTakeFirstOrThrow()).count);
  const openCase = async (token: string, body: Record<string, unknown>) => {
    const response = await call(t.app, token, 'POST', '/api/v1/tickets', body);
    expect(response.statusCode).toBe(201);
    await processor.drain();
    return response.json() as { id: string; number: number; subject: string };
  };

  beforeAll(async () => {
    t = await createTestApp();
    make = factories(t.database);
    follower = await make.agent({ name: 'Fiona Follower' });
    followerToken = await make.token(follower);
    tam = await make.agent({ roles: ['agent', 'tam'], name: 'Tom the TAM' });
    tamToken = await make.token(tam);
    bystanderToken = await make.token(await make.agent());
    const csm = await make.agent({ roles: ['csm'] });
    watched = await make.organization({ accountTeam: [{ userId: tam.id, role: 'tam' }, { userId: csm.id, role: 'csm' }] });
    contactToken = await make.token(await make.contact(watched.id));
    elsewhereToken = await make.token(await make.contact((await make.organization()).id));
    const environment = await call(t.app, followerToken, 'PUT', `/api/v1/organizations/${watched.id}/environment`, { components, notes: 'Two data centres' });
    expect(environment.statusCode).toBe(200);
    processor = startOutboxProcessor(t.database, buildEventHandlers(t, t.realtime), { pollIntervalMs: 60_000 });
  });
  afterAll(async () => {
    await processor?.stop();
    await t.close();
  });

  it('subscribes an agent (again: no change) and lists explicit and named-TAM subscriptions', async () => {
    const created = await call(t.app, followerToken, 'POST', '/api/v1/subscriptions', { organizationId: watched.id });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ organizationId: watched.id, organizationName: watched.name, isExplicit: true, isNamedTam: false });
    const again = await call(t.app, followerToken, 'POST', '/api/v1/subscriptions', { organizationId: watched.id });
    expect(again.statusCode).toBe(200);
    expect(again.json().subscribedAt).toBe(created.json().subscribedAt);
    expect((await call(t.app, followerToken, 'GET', '/api/v1/subscriptions')).json().items).toEqual([created.json()]);
    expect((await call(t.app, tamToken, 'GET', '/api/v1/subscriptions')).json().items).toEqual([
      { organizationId: watched.id, organizationName: watched.name, isExplicit: false, isNamedTam: true, subscribedAt: null },
    ]);
    expect((await call(t.app, bystanderToken, 'GET', '/api/v1/subscriptions')).json().items).toEqual([]);
  });

  it('refuses contacts, unknown organisations, and unsubscribing a named TAM', async () => {
    const asContact = await call(t.app, contactToken, 'POST', '/api/v1/subscriptions', { organizationId: watched.id });
    expect([asContact.statusCode, asContact.json().code]).toEqual([403, 'FORBIDDEN']);
    expect((await call(t.app, contactToken, 'GET', '/api/v1/subscriptions')).statusCode).toBe(403);
    const unknown = await call(t.app, followerToken, 'POST', '/api/v1/subscriptions', { organizationId: '00000000-0000-4000-8000-000000000000' });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'ORGANIZATION_NOT_FOUND']);
    expect((await call(t.app, followerToken, 'POST', '/api/v1/subscriptions', { organizationId: 'nope' })).json().code).toBe('VALIDATION_FAILED');
    const implicit = await call(t.app, tamToken, 'DELETE', `/api/v1/subscriptions/${watched.id}`);
    expect([implicit.statusCode, implicit.json().code]).toEqual([409, 'SUBSCRIPTION_IMPLICIT']);
    const notFollowing = await call(t.app, bystanderToken, 'DELETE', `/api/v1/subscriptions/${watched.id}`);
    expect([notFollowing.statusCode, notFollowing.json().code]).toEqual([404, 'SUBSCRIPTION_NOT_FOUND']);
  });

  it('a new case of the organisation notifies its subscriber and its named TAM with the environment components; nobody else', async () => {
    const ticket = await openCase(contactToken, { subject: 'Map service times out', body: 'Since the 11.3 upgrade.' });
    for (const token of [followerToken, tamToken]) {
      const notices = await noticesFor(token, ticket.id);
      expect(notices).toHaveLength(1);
      expect(notices[0]!.payload).toMatchObject({
        ticketId: ticket.id,
        number: ticket.number,
        subject: 'Map service times out',
        priority: 'P3',
        organizationName: watched.name,
        environment: { version: 1, components, notes: 'Two data centres' },
      });
    }
    expect(await noticesFor(bystanderToken, ticket.id)).toEqual([]);
    const rows = await t.database.db.selectFrom('notifications').select(['user_id', 'channel']).where('dedupe_key', '=', `subscribed:${ticket.id}`).execute();
    expect(rows.map((row) => `${row.user_id}:${row.channel}`).sort()).toEqual([`${follower.id}:email`, `${follower.id}:in-app`, `${tam.id}:email`, `${tam.id}:in-app`].sort());

    const foreign = await openCase(elsewhereToken, { subject: 'Not watched' });
    expect(await countRows(foreign.id)).toBe(0);
  });

  it('a P1 case is urgent: its e-mail goes out at once', async () => {
    const ticket = await openCase(contactToken, { subject: 'Everything is down', priority: 'P1' });
    const email = await t.database.db.selectFrom('notifications').select(['deliver_after']).where('dedupe_key', '=', `subscribed:${ticket.id}`).where('channel', '=', 'email').execute();
    expect(email).toHaveLength(2);
    expect(email.every((row) => row.deliver_after.getTime() <= Date.now() + 1000)).toBe(true);
  });

  it('replaying the same ticket.created event notifies nobody twice', async () => {
    const ticket = await openCase(contactToken, { subject: 'Replay me' });
    expect(await countRows(ticket.id)).toBe(4);
    const event = await t.database.db.selectFrom('outbox').select(['id', 'processed_at']).where('topic', '=', 'ticket.created').where(sql<boolean>`payload->>'ticketId' = ${ticket.id}`).executeTakeFirstOrThrow();
    expect(event.processed_at).not.toBeNull();
    await t.database.db.updateTable('outbox').set({ processed_at: null, locked_until: null }).where('id', '=', event.id).execute();
    expect(await processor.drain()).toBe(1);
    expect(await countRows(ticket.id)).toBe(4);
    expect(await noticesFor(followerToken, ticket.id)).toHaveLength(1);
  });

  it('after unsubscribing, new cases no longer notify the agent', async () => {
    const removed = await call(t.app, followerToken, 'DELETE', `/api/v1/subscriptions/${watched.id}`);
    expect(removed.statusCode).toBe(204);
    expect((await call(t.app, followerToken, 'GET', '/api/v1/subscriptions')).json().items).toEqual([]);
    const ticket = await openCase(contactToken, { subject: 'After unsubscribe' });
    expect(await noticesFor(followerToken, ticket.id)).toEqual([]);
    expect(await noticesFor(tamToken, ticket.id)).toHaveLength(1);
  });
});
