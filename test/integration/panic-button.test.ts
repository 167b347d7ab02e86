import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/domain/accounts/index.ts';
import { SYSTEM_ACTOR, updateUser, type User } from '../../src/domain/identity/index.ts';
import { anniversaryIn } from '../../src/domain/panic/contract-year.ts';
import { call, createTestApp, factories, type TestApp } from '../support/test-app.ts';

const DAY = 86_400_000;
/** An ISO date `days` from today (UTC), never a 29 February so anniversaries are plain. */
function dateFromToday(days: number): string {
  const date = new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
  return date.endsWith('-02-29') ? dateFromToday(days - 1) : date;
}
const nextYear = (date: string) => anniversaryIn(date, Number(date.slice(0, 4)) + 1);

describe('panic button', () => {
  let t: TestApp;
  let make: ReturnType<typeof factories>;
  let adminToken: string;
  let agents: User[];
  let tam: User;
  let csm: User;
  let inactiveAgent: User;
  let plans: Record<string, { id: string }>;
  let premium: Organization;
  let premiumContact: User;
  let premiumToken: string;
  let lonelyAgentToken: string;
  let tamToken: string;

  /** An organisation with a contract on the plan of this code, starting `startsOn`. */
  async function organizationOn(planCode: string, startsOn = dateFromToday(-30), extra: Parameters<typeof make.organization>[0] = {}): Promise<Organization> {
    const organization = await make.organization(extra);
    const put = await call(t.app, adminToken, 'PUT', `/api/v1/organizations/${organization.id}/contract`, { planId: plans[planCode]!.id, startsOn, endsOn: dateFromToday(700) });
    expect(put.statusCode).toBe(200);
    return organization;
  }

  async function contactTokenOf(organizationId: string, roles: ('customer' | 'customer-admin')[] = ['customer']): Promise<{ contact: User; token: string }> {
    const contact = await make.contact(organizationId, { roles });
    return { contact, token: await make.token(contact) };
  }

  const press = (token: string, body: Record<string, unknown>) => call(t.app, token, 'POST', '/api/v1/panic', body);

  async function panicNotifications(panicEventId: string): Promise<{ user_id: string; channel: string; kind: string; deliver_after: Date }[]> {
    return t.database.db.selectFrom('notifications').select(['user_id', 'channel', 'kind', 'deliver_after']).where('dedupe_key', '=', `panic:${panicEventId}`).execute();
  }

  beforeAll(async () => {
    t = await createTestApp();
    make = factories(t.database);
    const admin = await make.admin();
    adminToken = await make.token(admin);
    agents = [await make.agent(), await make.agent(), await make.agent()];
    tam = await make.agent({ roles: ['agent', 'tam'], name: 'Tess the TAM' });
    csm = await make.agent({ roles: ['csm'], name: 'Carl the CSM' });
    inactiveAgent = await make.agent();
    await updateUser(t.database.db, SYSTEM_ACTOR, inactiveAgent.id, { isActive: false });
    lonelyAgentToken = await make.token(agents[2]!);
    tamToken = await make.token(tam);
    const items = (await call(t.app, adminToken, 'GET', '/api/v1/plans')).json().items as { code: string; id: string }[];
    plans = Object.fromEntries(items.map((plan) => [plan.code, plan]));
    premium = await organizationOn('premium', dateFromToday(-30), { tamId: tam.id, accountTeam: [{ userId: csm.id, role: 'csm' }] });
    ({ contact: premiumContact, token: premiumToken } = await contactTokenOf(premium.id));
  });
  afterAll(() => t.close());

  it('opens a P1 panic case, alerts every active agent and the account team at once, and records who pressed it', async () => {
    const pressed = await press(premiumToken, { description: 'Production is down\nEvery node answers 502 since 09:12.' });
    expect(pressed.statusCode).toBe(201);
    const { panicEvent, ticket, quota } = pressed.json();
    expect(ticket).toMatchObject({ subject: 'PANIC: Production is down', priority: 'P1', isPanic: true, channel: 'portal', status: 'new', requesterId: premiumContact.id, organizationId: premium.id });
    expect(panicEvent).toMatchObject({ organizationId: premium.id, ticketId: ticket.id, ticketNumber: ticket.number, pressedBy: { id: premiumContact.id, email: premiumContact.email } });
    expect(quota).toMatchObject({ entitled: true, quota: null, used: 1, remaining: null, planCode: 'premium' });
    // Opened like any case: written with the plan in force (the SLA clocks' plan) before any outbox pass.
    expect(ticket.planId).toBe(plans['premium']!.id);

    const rows = await panicNotifications(panicEvent.id);
    const inApp = rows.filter((row) => row.channel === 'in-app').map((row) => row.user_id);
    const email = rows.filter((row) => row.channel === 'email');
    const activeAgentIds = (await t.database.db.selectFrom('users').select('id').where('kind', '=', 'agent').where('is_active', '=', true).execute()).map((row) => row.id);
    expect(new Set(inApp)).toEqual(new Set(activeAgentIds));
    expect(inApp).toEqual(expect.arrayContaining([...agents.map((agent) => agent.id), tam.id, csm.id]));
    expect(inApp).not.toContain(inactiveAgent.id);
    expect(inApp).not.toContain(premiumContact.id);
    expect(email.map((row) => row.user_id).sort()).toEqual([...inApp].sort());
    expect(email.every((row) => row.deliver_after.getTime() <= Date.now() + 1000)).toBe(true);
    expect(rows.every((row) => row.kind === 'panic')).toBe(true);

    for (const user of [agents[0]!, tam]) {
      const feed = (await call(t.app, await make.token(user), 'GET', '/api/v1/notifications')).json().items;
      expect(feed.find((item: { kind: string }) => item.kind === 'panic')).toMatchObject({
        ticketId: ticket.id,
        payload: { panicEventId: panicEvent.id, number: ticket.number, organizationName: premium.name, pressedBy: { id: premiumContact.id }, description: expect.stringContaining('502') },
      });
    }

    const agentToken = await make.token(agents[0]!);
    const stored = (await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticket.id}`)).json();
    expect(stored).toMatchObject({ priority: 'P1', isPanic: true });
    const timeline = (await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticket.id}/timeline`)).json().items;
    expect(timeline.filter((item: { action: string }) => item.action === 'ticket.created')).toEqual([
      expect.objectContaining({ actorId: premiumContact.id, changes: expect.objectContaining({ priority: 'P1', status: 'new', channel: 'portal', isPanic: true }) }),
    ]);
    const entry = timeline.find((item: { action: string }) => item.action === 'ticket.panic');
    expect(entry).toMatchObject({ actorId: premiumContact.id, changes: { panicEventId: panicEvent.id, pressedBy: { id: premiumContact.id, name: premiumContact.name }, isNewCase: true } });
    const messages = (await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticket.id}/messages`)).json().items;
    expect(messages[0]).toMatchObject({ authorId: premiumContact.id, internal: false, body: expect.stringContaining('Every node answers 502') });
  });

  it('escalates an existing case to P1 and reopens it when it was solved', async () => {
    const opened = (await call(t.app, premiumToken, 'POST', '/api/v1/tickets', { subject: 'Slow exports', body: 'Exports take minutes.' })).json();
    const agentToken = await make.token(agents[1]!);
    expect((await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${opened.id}`, { status: 'solved' })).json().status).toBe('solved');
    const pressed = await press(premiumToken, { ticketId: opened.id, description: 'Now exports crash the whole cluster.' });
    expect(pressed.statusCode).toBe(201);
    expect(pressed.json().ticket).toMatchObject({ id: opened.id, number: opened.number, priority: 'P1', status: 'open', isPanic: true, solvedAt: null, subject: 'Slow exports' });
    const timeline = (await call(t.app, agentToken, 'GET', `/api/v1/tickets/${opened.id}/timeline`)).json().items;
    expect(timeline.find((item: { action: string; changes: Record<string, unknown> }) => item.action === 'ticket.updated' && item.changes.isPanic)).toMatchObject({
      actorId: premiumContact.id,
      changes: { priority: { before: 'P3', after: 'P1' }, status: { before: 'solved', after: 'open' }, isPanic: { before: false, after: true } },
    });
    expect(timeline.find((item: { action: string }) => item.action === 'ticket.panic')).toMatchObject({ changes: { isNewCase: false, pressedBy: { id: premiumContact.id } } });
    const messages = (await call(t.app, premiumToken, 'GET', `/api/v1/tickets/${opened.id}/messages`)).json().items;
    expect(messages.map((message: { body: string }) => message.body)).toEqual(['Exports take minutes.', 'Now exports crash the whole cluster.']);

    await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${opened.id}`, { status: 'solved' });
    await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${opened.id}`, { status: 'closed' });
    const closed = await press(premiumToken, { ticketId: opened.id, description: 'Again!' });
    expect([closed.statusCode, closed.json().code]).toEqual([409, 'TICKET_CLOSED']);
  });

  it('enforces a quota of one per contract year with the date it renews (Enterprise-lite)', async () => {
    const startsOn = dateFromToday(-40);
    const lite = await organizationOn('enterprise-lite', startsOn);
    const { token } = await contactTokenOf(lite.id);
    const before = (await call(t.app, token, 'GET', `/api/v1/organizations/${lite.id}/panic-quota`)).json();
    expect(before).toEqual({ entitled: true, quota: 1, used: 0, remaining: 1, yearStartsOn: startsOn, renewsOn: nextYear(startsOn), planCode: 'enterprise-lite', contractId: expect.any(String) });

    const first = await press(token, { description: 'Database corrupted' });
    expect(first.statusCode).toBe(201);
    expect(first.json().quota).toMatchObject({ quota: 1, used: 1, remaining: 0, renewsOn: nextYear(startsOn) });
    const second = await press(token, { description: 'And now the backups' });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'PANIC_QUOTA_EXHAUSTED', details: { quota: 1, used: 1, renewsOn: nextYear(startsOn) } });
    expect((await call(t.app, token, 'GET', `/api/v1/organizations/${lite.id}/panic-quota`)).json()).toMatchObject({ used: 1, remaining: 0 });
    const cases = await t.database.db.selectFrom('tickets').select('id').where('organization_id', '=', lite.id).execute();
    expect(cases).toHaveLength(1); // the refused press opened nothing
  });

  it('counts a press of the previous contract year against that year only', async () => {
    const startsOn = dateFromToday(-400);
    const lite = await organizationOn('enterprise-lite', startsOn);
    const { contact, token } = await contactTokenOf(lite.id);
    const oldCase = (await call(t.app, token, 'POST', '/api/v1/tickets', { subject: 'Last year' })).json();
    await t.database.db
      .insertInto('panic_events')
      .values({ organization_id: lite.id, ticket_id: oldCase.id, pressed_by: contact.id, description: 'last year', created_at: new Date(`${startsOn}T12:00:00Z`) })
      .execute();
    const quota = (await call(t.app, token, 'GET', `/api/v1/organizations/${lite.id}/panic-quota`)).json();
    expect(quota).toMatchObject({ used: 0, remaining: 1, yearStartsOn: nextYear(startsOn), renewsOn: anniversaryIn(startsOn, Number(startsOn.slice(0, 4)) + 2) });
    expect((await press(token, { description: 'This year' })).statusCode).toBe(201);
  });

  it('two simultaneous presses with one left: exactly one succeeds', async () => {
    const lite = await organizationOn('enterprise-lite');
    const first = await contactTokenOf(lite.id);
    const second = await contactTokenOf(lite.id);
    const results = await Promise.all([press(first.token, { description: 'Down (Alice)' }), press(second.token, { description: 'Down (Bob)' })]);
    expect(results.map((result) => result.statusCode).sort()).toEqual([201, 409]);
    expect(results.find((result) => result.statusCode === 409)!.json().code).toBe('PANIC_QUOTA_EXHAUSTED');
    const events = await t.database.db.selectFrom('panic_events').select('id').where('organization_id', '=', lite.id).execute();
    const panicCases = await t.database.db.selectFrom('tickets').select('id').where('organization_id', '=', lite.id).where('is_panic', '=', true).execute();
    expect([events.length, panicCases.length]).toEqual([1, 1]);
  });

  it('eight simultaneous presses against a quota of three: exactly three succeed', async () => {
    const calendarId = (await call(t.app, adminToken, 'GET', '/api/v1/calendars')).json().items[0].id;
    const targets = { firstResponse: { minutes: 60 }, nextResponse: { minutes: 60 }, resolution: { days: 1 } };
    const gold = await call(t.app, adminToken, 'POST', '/api/v1/plans', { code: 'panic-three', name: 'Three panics', calendarId, targets: { P1: targets, P2: targets, P3: targets, P4: targets }, panicQuota: 3 });
    plans['panic-three'] = gold.json();
    const organization = await organizationOn('panic-three');
    const contacts = await Promise.all(Array.from({ length: 4 }, () => contactTokenOf(organization.id)));
    const results = await Promise.all(Array.from({ length: 8 }, (_, index) => press(contacts[index % 4]!.token, { description: `Press ${index}` })));
    const statuses = results.map((result) => result.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(3);
    expect(statuses.filter((status) => status === 409)).toHaveLength(5);
    const used = results.filter((result) => result.statusCode === 201).map((result) => result.json().quota.used).sort();
    expect(used).toEqual([1, 2, 3]);
  });

  it('refuses organisations whose plan has no panic button, agents, and other organisations\' cases', async () => {
    const standard = await organizationOn('standard');
    const { token: standardToken } = await contactTokenOf(standard.id);
    const refused = await press(standardToken, { description: 'Help' });
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'PANIC_NOT_ENTITLED']);
    expect((await call(t.app, standardToken, 'GET', `/api/v1/organizations/${standard.id}/panic-quota`)).json()).toMatchObject({ entitled: false, quota: 0, remaining: 0, planCode: 'standard' });

    const planless = await make.organization();
    const { token: planlessToken } = await contactTokenOf(planless.id);
    expect((await press(planlessToken, { description: 'Help' })).json().code).toBe('PANIC_NOT_ENTITLED');
    expect((await call(t.app, planlessToken, 'GET', `/api/v1/organizations/${planless.id}/panic-quota`)).json()).toEqual({
      entitled: false, quota: 0, used: 0, remaining: 0, yearStartsOn: null, renewsOn: null, planCode: null, contractId: null,
    });

    const asAgent = await press(await make.token(agents[0]!), { description: 'Agents do not press' });
    expect([asAgent.statusCode, asAgent.json().code]).toEqual([403, 'PANIC_CUSTOMERS_ONLY']);

    const other = await organizationOn('premium');
    const { token: strangerToken } = await contactTokenOf(other.id);
    const premiumCase = (await call(t.app, premiumToken, 'POST', '/api/v1/tickets', { subject: 'Ours' })).json();
    const spentBefore = await t.database.db.selectFrom('panic_events').select('id').execute();
    const foreign = await press(strangerToken, { ticketId: premiumCase.id, description: 'Not mine' });
    expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'TICKET_NOT_FOUND']);
    expect(await t.database.db.selectFrom('panic_events').select('id').execute()).toHaveLength(spentBefore.length);
    expect((await call(t.app, premiumToken, 'GET', `/api/v1/tickets/${premiumCase.id}`)).json()).toMatchObject({ priority: 'P3', isPanic: false });

    // A colleague of the requester who cannot see the case (organisation does not share cases) gets 404 too.
    const { token: colleagueToken } = await contactTokenOf(premium.id);
    expect((await press(colleagueToken, { ticketId: premiumCase.id, description: 'Not mine either' })).statusCode).toBe(404);

    for (const body of [{ description: '' }, { description: '   ' }, { description: 'x'.repeat(2001) }, { description: 'ok', ticketId: 'nope' }, { description: 'ok', extra: true }]) {
      expect((await press(premiumToken, body)).json().code).toBe('VALIDATION_FAILED');
    }
  });

  it('uses the calendar year for an organisation with a plan code but no contract', async () => {
    const organization = await make.organization({ planCode: 'enterprise-lite' });
    const { token } = await contactTokenOf(organization.id);
    const year = new Date().getUTCFullYear();
    const quota = (await call(t.app, token, 'GET', `/api/v1/organizations/${organization.id}/panic-quota`)).json();
    expect(quota).toEqual({ entitled: true, quota: 1, used: 0, remaining: 1, yearStartsOn: `${year}-01-01`, renewsOn: `${year + 1}-01-01`, planCode: 'enterprise-lite', contractId: null });
    expect((await press(token, { description: 'Down' })).json().panicEvent.contractId).toBeNull();
    expect((await press(token, { description: 'Down again' })).json()).toMatchObject({ code: 'PANIC_QUOTA_EXHAUSTED', details: { renewsOn: `${year + 1}-01-01` } });
  });

  it('a retried press with the same Idempotency-Key is answered once and spends the quota once', async () => {
    const lite = await organizationOn('enterprise-lite');
    const { token } = await contactTokenOf(lite.id);
    const headers = { 'idempotency-key': 'panic-retry-1' };
    const first = await call(t.app, token, 'POST', '/api/v1/panic', { description: 'Down' }, headers);
    const retry = await call(t.app, token, 'POST', '/api/v1/panic', { description: 'Down' }, headers);
    expect([first.statusCode, retry.statusCode]).toEqual([201, 201]);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().panicEvent.id).toBe(first.json().panicEvent.id);
  });

  it('reads the quota: contacts of the organisation and agents only', async () => {
    expect((await call(t.app, lonelyAgentToken, 'GET', `/api/v1/organizations/${premium.id}/panic-quota`)).json()).toMatchObject({ entitled: true, quota: null, remaining: null });
    const other = await make.organization();
    const { token } = await contactTokenOf(other.id);
    const hidden = await call(t.app, token, 'GET', `/api/v1/organizations/${premium.id}/panic-quota`);
    expect([hidden.statusCode, hidden.json().code]).toEqual([404, 'ORGANIZATION_NOT_FOUND']);
    expect((await call(t.app, null, 'GET', `/api/v1/organizations/${premium.id}/panic-quota`)).statusCode).toBe(401);
  });

  it('shows panic history: admins every organisation, a TAM the organisations they follow, contacts nothing', async () => {
    const all = await call(t.app, adminToken, 'GET', '/api/v1/panic?limit=200');
    expect(all.statusCode).toBe(200);
    const items = all.json().items as { organizationId: string; createdAt: string; pressedBy: { id: string }; ticketNumber: number; description: string }[];
    const storedCount = (await t.database.db.selectFrom('panic_events').select('id').execute()).length;
    expect(items).toHaveLength(storedCount);
    expect(new Set(items.map((item) => item.organizationId)).size).toBeGreaterThan(3);
    expect([...items].sort((left, right) => right.createdAt.localeCompare(left.createdAt))).toEqual(items);
    const mine = items.filter((item) => item.organizationId === premium.id);
    expect(mine.length).toBe(2);
    expect(mine.every((item) => item.pressedBy.id === premiumContact.id && item.ticketNumber > 0)).toBe(true);

    const filtered = (await call(t.app, adminToken, 'GET', `/api/v1/panic?organizationId=${premium.id}`)).json().items;
    expect(filtered).toEqual(mine);
    const firstPage = (await call(t.app, adminToken, 'GET', '/api/v1/panic?limit=2')).json();
    const secondPage = (await call(t.app, adminToken, 'GET', `/api/v1/panic?limit=2&cursor=${encodeURIComponent(firstPage.nextCursor)}`)).json();
    expect([...firstPage.items, ...secondPage.items]).toEqual(items.slice(0, 4));

    expect((await call(t.app, tamToken, 'GET', '/api/v1/panic')).json().items).toEqual(mine);
    expect((await call(t.app, lonelyAgentToken, 'GET', '/api/v1/panic')).json().items).toEqual([]);
    const denied = await call(t.app, premiumToken, 'GET', '/api/v1/panic');
    expect([denied.statusCode, denied.json().code]).toEqual([403, 'FORBIDDEN']);
    expect((await call(t.app, adminToken, 'GET', '/api/v1/panic?cursor=garbage')).json().code).toBe('VALIDATION_FAILED');
  });
});
