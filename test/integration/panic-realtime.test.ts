import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/domain/accounts/index.ts';
import type { User } from '../../src/domain/identity/index.ts';
import { buildEventHandlers } from '../../src/jobs/background.ts';
import { startOutboxProcessor, type OutboxProcessor } from '../../src/platform/outbox/processor.ts';
import { openEventStream, waitFor, type EventStream } from '../support/event-stream.ts';
import { call, createTestApp, factories, type TestApp } from '../support/test-app.ts';

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

describe('panic alert over server-sent events', () => {
  let t: TestApp;
  let processor: OutboxProcessor;
  let baseUrl: string;
  let organization: Organization;
  let presser: User;
  let presserToken: string;
  const streams: EventStream[] = [];

  async function openStream(token: string): Promise<EventStream> {
    const stream = await openEventStream(baseUrl, token);
    streams.push(stream);
    return stream;
  }

  beforeAll(async () => {
    t = await createTestApp();
    const make = factories(t.database);
    const adminToken = await make.token(await make.admin());
    organization = await make.organization();
    const premium = (await call(t.app, adminToken, 'GET', '/api/v1/plans')).json().items.find((plan: { code: string }) => plan.code === 'premium');
    const today = Date.now();
    const contract = { planId: premium.id, startsOn: new Date(today - 10 * 86_400_000).toISOString().slice(0, 10), endsOn: new Date(today + 355 * 86_400_000).toISOString().slice(0, 10) };
    expect((await call(t.app, adminToken, 'PUT', `/api/v1/organizations/${organization.id}/contract`, contract)).statusCode).toBe(200);
    presser = await make.contact(organization.id);
    presserToken = await make.token(presser);
    processor = startOutboxProcessor(t.database, buildEventHandlers(t, t.realtime), { pollIntervalMs: 20 });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await processor?.stop();
    await t.close();
  });

  it('every connected agent receives panic.pressed; the presser and their customer-admin too; another organisation never', async () => {
    const make = factories(t.database);
    const agents = [await make.agent(), await make.agent(), await make.agent({ roles: ['tam'] })];
    const agentStreams = await Promise.all(agents.map(async (agent) => openStream(await make.token(agent))));
    const presserStream = await openStream(presserToken);
    const customerAdminStream = await openStream(await make.token(await make.contact(organization.id, { roles: ['customer-admin'] })));
    const colleagueStream = await openStream(await make.token(await make.contact(organization.id)));
    const strangerStream = await openStream(await make.token(await make.contact((await make.organization()).id)));

    const pressed = await call(t.app, presserToken, 'POST', '/api/v1/panic', { description: 'Cluster down' });
    expect(pressed.statusCode).toBe(201);
    const { panicEvent, ticket } = pressed.json();
    const panicAlerts = (stream: EventStream) => stream.events.filter((event) => event.event === 'panic.pressed' && event.data.panicEventId === panicEvent.id);

    for (const stream of agentStreams) await waitFor('an agent to get panic.pressed', () => panicAlerts(stream).length === 1);
    expect(panicAlerts(agentStreams[0]!)[0]!.data).toMatchObject({ ticketId: ticket.id, number: ticket.number, priority: 'P1', organizationId: organization.id, organizationName: organization.name, pressedById: presser.id, isNewCase: true });
    expect(panicAlerts(agentStreams[0]!)[0]!.data).not.toHaveProperty('organizationSharesCases');
    expect(JSON.stringify(panicAlerts(agentStreams[0]!)[0]!.data)).not.toContain('Cluster down');
    await waitFor('the presser to get panic.pressed', () => panicAlerts(presserStream).length === 1);
    await waitFor('the customer-admin to get panic.pressed', () => panicAlerts(customerAdminStream).length === 1);
    await sleep(500);
    expect(strangerStream.events.filter((event) => event.data.ticketId === ticket.id)).toEqual([]);
    // The organisation does not share cases: a colleague who cannot read the case hears nothing of it.
    expect(colleagueStream.events.filter((event) => event.data.ticketId === ticket.id)).toEqual([]);
  });
});
