import fastifyCookie from '@fastify/cookie';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/domain/accounts/index.ts';
import type { User } from '../../src/domain/identity/index.ts';
import { installErrorHandler } from '../../src/http/error-handler.ts';
import { installAuth } from '../../src/http/plugins/auth.ts';
import { call, createTestApp, factories, unique, type TestApp } from '../support/test-app.ts';

/** Who calls. Org A does not share cases; org C does. */
const ACTORS = ['anonymous', 'agent', 'admin', 'customerAdminA', 'customerA1', 'customerA2', 'customerB', 'customerC1', 'customerC2'] as const;
type ActorName = (typeof ACTORS)[number];
const CUSTOMERS = ACTORS.filter((actor) => actor.startsWith('customer'));

/** The world the rows point into: cases requested by A1, A2, B and C1. */
type World = {
  caseA1: string;
  caseA2: string;
  caseB: string;
  caseC1: string;
  orgA: string;
  orgB: string;
  users: Record<Exclude<ActorName, 'anonymous'>, User>;
};
type Request = { method: 'GET' | 'POST' | 'PATCH'; url: string; body?: unknown };
type Row = { action: string; request: (world: World) => Request; expected: Record<ActorName, string> };

// Outcomes: the status, and for failures the stable code.
const OK = '200';
const CREATED = '201';
const SIGN_IN = '401 AUTH_REQUIRED';
const DENIED = '403 FORBIDDEN';
const READ_ONLY_CASE = '403 TICKET_FORBIDDEN';
const NO_NOTES = '403 MESSAGE_INTERNAL_FORBIDDEN';
const NO_CASE = '404 TICKET_NOT_FOUND';
const NO_ORG = '404 ORGANIZATION_NOT_FOUND';
const NO_USER = '404 USER_NOT_FOUND';

function row(action: string, request: (world: World) => Request, outcomes: string[]): Row {
  if (outcomes.length !== ACTORS.length) throw new Error(`row "${action}" needs ${ACTORS.length} outcomes`);
  return { action, request, expected: Object.fromEntries(ACTORS.map((actor, index) => [actor, outcomes[index]!])) as Record<ActorName, string> };
}

type CaseKey = 'caseA1' | 'caseA2' | 'caseB' | 'caseC1';
/** The six case operations, with who may read the case (`visible`) as the only thing varying per case. */
function caseRows(key: CaseKey, visible: string[]): Row[] {
  const on = (seen: string, staff: string, unseen = NO_CASE) => ACTORS.map((actor) => (actor === 'anonymous' ? SIGN_IN : actor === 'agent' || actor === 'admin' ? staff : visible.includes(actor) ? seen : unseen));
  return [
    row(`GET ${key}`, (w) => ({ method: 'GET', url: `/api/v1/tickets/${w[key]}` }), on(OK, OK)),
    row(`GET ${key} messages`, (w) => ({ method: 'GET', url: `/api/v1/tickets/${w[key]}/messages` }), on(OK, OK)),
    row(`GET ${key} timeline`, (w) => ({ method: 'GET', url: `/api/v1/tickets/${w[key]}/timeline` }), on(OK, OK)),
    row(`PATCH ${key} priority`, (w) => ({ method: 'PATCH', url: `/api/v1/tickets/${w[key]}`, body: { priority: 'P2' } }), on(READ_ONLY_CASE, OK)),
    row(`POST ${key} reply`, (w) => ({ method: 'POST', url: `/api/v1/tickets/${w[key]}/messages`, body: { body: 'A public reply.' } }), on(CREATED, CREATED)),
    row(`POST ${key} internal note`, (w) => ({ method: 'POST', url: `/api/v1/tickets/${w[key]}/messages`, body: { body: 'A note.', internal: true } }), on(NO_NOTES, CREATED)),
  ];
}

/**
 * The access rules. Another organisation's cases, users and the organisation itself are 404
 * (never 403: their existence is not revealed); a known but forbidden action is 403.
 */
const MATRIX: Row[] = [
  ...caseRows('caseA1', ['customerAdminA', 'customerA1']),
  ...caseRows('caseA2', ['customerAdminA', 'customerA2']),
  ...caseRows('caseB', ['customerB']),
  ...caseRows('caseC1', ['customerC1', 'customerC2']),
  //                                                                                                  anonymous agent    admin    custAdminA customerA1 customerA2 customerB customerC1 customerC2
  row('GET ticket list', () => ({ method: 'GET', url: '/api/v1/tickets' }),                            [SIGN_IN, OK,      OK,      OK,       OK,        OK,        OK,       OK,        OK]),
  row('GET organization A', (w) => ({ method: 'GET', url: `/api/v1/organizations/${w.orgA}` }),         [SIGN_IN, OK,      OK,      OK,       OK,        OK,        NO_ORG,   NO_ORG,    NO_ORG]),
  row('GET organization B', (w) => ({ method: 'GET', url: `/api/v1/organizations/${w.orgB}` }),         [SIGN_IN, OK,      OK,      NO_ORG,   NO_ORG,    NO_ORG,    OK,       NO_ORG,    NO_ORG]),
  row('GET organization list', () => ({ method: 'GET', url: '/api/v1/organizations' }),                [SIGN_IN, OK,      OK,      OK,       OK,        OK,        OK,       OK,        OK]),
  row('GET user list', () => ({ method: 'GET', url: '/api/v1/users' }),                                [SIGN_IN, OK,      OK,      OK,       OK,        OK,        OK,       OK,        OK]),
  row('GET user customerB', (w) => ({ method: 'GET', url: `/api/v1/users/${w.users.customerB.id}` }),   [SIGN_IN, OK,      OK,      NO_USER,  NO_USER,   NO_USER,   OK,       NO_USER,   NO_USER]),
  row('GET user customerA2', (w) => ({ method: 'GET', url: `/api/v1/users/${w.users.customerA2.id}` }), [SIGN_IN, OK,      OK,      OK,       NO_USER,   OK,        NO_USER,  NO_USER,   NO_USER]),
  row('POST team', () => ({ method: 'POST', url: '/api/v1/teams', body: { name: unique('Team') } }),   [SIGN_IN, DENIED,  CREATED, DENIED,   DENIED,    DENIED,    DENIED,   DENIED,    DENIED]),
  row('POST organization', () => ({ method: 'POST', url: '/api/v1/organizations', body: { name: unique('Org') } }), [SIGN_IN, CREATED, CREATED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED]),
];

function outcomeOf(response: { statusCode: number; json(): { code?: string } }): string {
  return response.statusCode < 300 ? String(response.statusCode) : `${response.statusCode} ${response.json().code}`;
}

describe('access matrix', () => {
  let t: TestApp;
  let world: World;
  let orgC: Organization;
  const tokens = {} as Record<ActorName, string | null>;
  const send = (actor: ActorName, request: Request) => call(t.app, tokens[actor], request.method, request.url, request.body);

  beforeAll(async () => {
    t = await createTestApp();
    const make = factories(t.database);
    const orgA = await make.organization();
    const orgB = await make.organization();
    orgC = await make.organization({ sharesCases: true });
    const users = {
      agent: await make.agent(),
      admin: await make.admin(),
      customerAdminA: await make.contact(orgA.id, { roles: ['customer-admin'] }),
      customerA1: await make.contact(orgA.id),
      customerA2: await make.contact(orgA.id),
      customerB: await make.contact(orgB.id),
      customerC1: await make.contact(orgC.id),
      customerC2: await make.contact(orgC.id),
    };
    tokens.anonymous = null;
    for (const [name, user] of Object.entries(users)) tokens[name as ActorName] = await make.token(user);
    const open = async (actor: ActorName) => (await send(actor, { method: 'POST', url: '/api/v1/tickets', body: { subject: `Case of ${actor}`, body: `Opened by ${actor}` } })).json().id as string;
    world = { caseA1: await open('customerA1'), caseA2: await open('customerA2'), caseB: await open('customerB'), caseC1: await open('customerC1'), orgA: orgA.id, orgB: orgB.id, users };
  });
  afterAll(() => t.close());

  it.each(MATRIX)('$action', async ({ request, expected }) => {
    const actual: Record<string, string> = {};
    for (const actor of ACTORS) actual[actor] = outcomeOf(await send(actor, request(world)));
    expect(actual).toEqual(expected);
  });

  it('the case list holds exactly the cases each customer may read', async () => {
    const listed = async (actor: ActorName) => {
      const ids: string[] = (await send(actor, { method: 'GET', url: '/api/v1/tickets?view=all&limit=200' })).json().items.map((item: { id: string }) => item.id);
      return [world.caseA1, world.caseA2, world.caseB, world.caseC1].filter((id) => ids.includes(id));
    };
    expect(await listed('customerA1')).toEqual([world.caseA1]);
    expect(await listed('customerA2')).toEqual([world.caseA2]);
    expect(await listed('customerAdminA')).toEqual([world.caseA1, world.caseA2]);
    expect(await listed('customerB')).toEqual([world.caseB]);
    expect(await listed('customerC2')).toEqual([world.caseC1]);
    expect(await listed('agent')).toEqual([world.caseA1, world.caseA2, world.caseB, world.caseC1]);
    const asA1 = (await send('customerA1', { method: 'GET', url: `/api/v1/tickets?view=all&requesterId=${world.users.customerA2.id}` })).json().items;
    expect(asA1).toEqual([]);
  });

  it('a customer lists only their own organisation, and users only as far as they may read them', async () => {
    const organizations = (await send('customerA1', { method: 'GET', url: '/api/v1/organizations?limit=200' })).json().items.map((item: { id: string }) => item.id);
    expect(organizations).toEqual([world.orgA]);
    const ownView = (await send('customerA1', { method: 'GET', url: '/api/v1/users?limit=200' })).json().items.map((item: { id: string }) => item.id);
    expect(ownView).toEqual([world.users.customerA1.id]);
    const adminView = (await send('customerAdminA', { method: 'GET', url: '/api/v1/users?limit=200' })).json().items;
    expect(adminView.map((item: { id: string }) => item.id).sort()).toEqual([world.users.customerAdminA.id, world.users.customerA1.id, world.users.customerA2.id].sort());
    const smuggled = (await send('customerAdminA', { method: 'GET', url: `/api/v1/users?organizationId=${world.orgB}&kind=agent` })).json().items;
    expect(smuggled.every((item: { organizationId: string }) => item.organizationId === world.orgA)).toBe(true);
  });

  it('a customer never receives the body of an internal note, in any response', async () => {
    const marker = `SECRET-${unique('marker')}`;
    for (const key of ['caseA1', 'caseA2', 'caseB', 'caseC1'] as const) {
      const note = await send('agent', { method: 'POST', url: `/api/v1/tickets/${world[key]}/messages`, body: { body: `${marker} do not tell ${key}`, internal: true } });
      expect(note.statusCode).toBe(201);
    }
    const asAgent = await send('agent', { method: 'GET', url: `/api/v1/tickets/${world.caseA1}/messages` });
    expect(asAgent.body).toContain(marker);

    for (const customer of CUSTOMERS) {
      const requests: Request[] = [
        { method: 'GET', url: '/api/v1/tickets?view=all&limit=200' },
        ...[world.caseA1, world.caseA2, world.caseB, world.caseC1].flatMap((id): Request[] => [
          { method: 'GET', url: `/api/v1/tickets/${id}` },
          { method: 'GET', url: `/api/v1/tickets/${id}/messages` },
          { method: 'GET', url: `/api/v1/tickets/${id}/timeline` },
          { method: 'GET', url: `/api/v1/tickets/${id}/links` },
        ]),
      ];
      let readable = 0;
      for (const request of requests) {
        const response = await send(customer, request);
        if (response.statusCode === 200) readable++;
        expect(response.body, `${customer} ${request.url}`).not.toContain(marker);
      }
      expect(readable, `${customer} read something`).toBeGreaterThan(1);
    }
  });
});

describe('route policies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('every registered route declares who may call it', () => {
    expect(t.app.routesWithoutPolicy).toEqual([]);
  });

  it('a route registered without a policy is listed and closed with 403 ROUTE_POLICY_MISSING', async () => {
    const app = Fastify();
    app.decorate('services', t.app.services);
    installErrorHandler(app);
    await app.register(fastifyCookie);
    const routesWithoutPolicy: string[] = [];
    installAuth(app, routesWithoutPolicy);
    app.get('/forgotten', async () => ({ secret: 'leaked' }));
    app.get('/declared', { config: { policy: 'public' } }, async () => ({ fine: true }));
    await app.ready();
    try {
      expect(routesWithoutPolicy).toContain('GET /forgotten');
      expect(routesWithoutPolicy.some((route) => route.endsWith('/declared'))).toBe(false);
      const closed = await app.inject({ method: 'GET', url: '/forgotten' });
      expect(closed.statusCode).toBe(403);
      expect(closed.json()).toMatchObject({ code: 'ROUTE_POLICY_MISSING' });
      expect(closed.body).not.toContain('leaked');
      expect((await app.inject({ method: 'GET', url: '/declared' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
