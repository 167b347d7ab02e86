import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/identity/index.ts';
import { call, createTestApp, factories, unique, type TestApp } from '../support/test-app.ts';

describe('organisations and their environment profiles', () => {
  let t: TestApp;
  let make: ReturnType<typeof factories>;
  let agentToken: string;
  let tam: User;
  let csm: User;
  let am: User;

  beforeAll(async () => {
    t = await createTestApp();
    make = factories(t.database);
    agentToken = await make.token(await make.agent());
    tam = await make.agent({ roles: ['agent', 'tam'] });
    csm = await make.agent({ roles: ['agent', 'csm'] });
    am = await make.agent({ roles: ['agent', 'am'] });
  });
  afterAll(() => t.close());

  const createOrganization = (body: Record<string, unknown>) => call(t.app, agentToken, 'POST', '/api/v1/organizations', body);
  const auditOf = (organizationId: string) =>
    t.database.db.selectFrom('audit_events').select(['action', 'changes', 'actor_id']).where('subject_type', '=', 'organization').where('subject_id', '=', organizationId).orderBy('id').execute();

  it('creates an organisation with domains, plan, TAM and account team; the TAM is on the team with role tam', async () => {
    const name = unique('Acme Mapping');
    const response = await createOrganization({
      name,
      planCode: 'premium',
      domains: ['Acme-Maps.example', 'acme.example'],
      tamId: tam.id,
      accountTeam: [
        { userId: csm.id, role: 'csm' },
        { userId: am.id, role: 'am' },
        { userId: am.id, role: 'renewal' },
        { userId: csm.id, role: 'implementation' },
        { userId: am.id, role: 'sales' },
      ],
    });
    expect(response.statusCode).toBe(201);
    const organization = response.json();
    expect(organization).toMatchObject({ name, planCode: 'premium', tamId: tam.id, domains: ['acme-maps.example', 'acme.example'], sharesCases: false, environmentVersion: null });
    expect(organization.accountTeam).toHaveLength(6);
    expect(organization.accountTeam).toEqual(
      expect.arrayContaining([
        { userId: tam.id, role: 'tam' },
        { userId: csm.id, role: 'csm' },
        { userId: am.id, role: 'am' },
        { userId: am.id, role: 'renewal' },
        { userId: csm.id, role: 'implementation' },
        { userId: am.id, role: 'sales' },
      ]),
    );
    const fetched = (await call(t.app, agentToken, 'GET', `/api/v1/organizations/${organization.id}`)).json();
    expect(fetched).toEqual(organization);
    expect((await auditOf(organization.id)).map((entry) => entry.action)).toEqual(['organization.created']);
  });

  it('a second organisation with the same name (any case) is 409 ORGANIZATION_NAME_TAKEN', async () => {
    const name = unique('Duplicate Name');
    expect((await createOrganization({ name })).statusCode).toBe(201);
    const again = await createOrganization({ name: name.toUpperCase() });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ORGANIZATION_NAME_TAKEN');
  });

  it('a domain already claimed by another organisation is 409 ORGANIZATION_DOMAIN_TAKEN, on create and on update', async () => {
    const domain = `${unique('claimed')}.example`;
    expect((await createOrganization({ name: unique('Claimer'), domains: [domain] })).statusCode).toBe(201);
    const clash = await createOrganization({ name: unique('Latecomer'), domains: ['other.example', domain.toUpperCase()] });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().code).toBe('ORGANIZATION_DOMAIN_TAKEN');
    const other = (await createOrganization({ name: unique('Other') })).json();
    const patch = await call(t.app, agentToken, 'PATCH', `/api/v1/organizations/${other.id}`, { domains: [domain] });
    expect(patch.statusCode).toBe(409);
    expect(patch.json().code).toBe('ORGANIZATION_DOMAIN_TAKEN');
  });

  it('a customer contact as TAM or account-team member is 422 ACCOUNT_TEAM_MEMBER_INVALID', async () => {
    const host = await make.organization();
    const contact = await make.contact(host.id);
    const asTam = await createOrganization({ name: unique('Bad TAM'), tamId: contact.id });
    expect(asTam.statusCode).toBe(422);
    expect(asTam.json().code).toBe('ACCOUNT_TEAM_MEMBER_INVALID');
    const asMember = await createOrganization({ name: unique('Bad team'), accountTeam: [{ userId: contact.id, role: 'csm' }] });
    expect(asMember.json().code).toBe('ACCOUNT_TEAM_MEMBER_INVALID');
    const inactive = await make.agent();
    await call(t.app, await make.token(await make.admin()), 'PATCH', `/api/v1/users/${inactive.id}`, { isActive: false });
    expect((await createOrganization({ name: unique('Gone TAM'), tamId: inactive.id })).json().code).toBe('ACCOUNT_TEAM_MEMBER_INVALID');
  });

  it('PATCH changes the organisation and audits before/after', async () => {
    const organization = (await createOrganization({ name: unique('Patchable'), planCode: 'standard', tamId: tam.id })).json();
    const newTam = await make.agent({ roles: ['agent', 'tam'] });
    const response = await call(t.app, agentToken, 'PATCH', `/api/v1/organizations/${organization.id}`, { planCode: 'premium', sharesCases: true, tamId: newTam.id });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ planCode: 'premium', sharesCases: true, tamId: newTam.id, accountTeam: [{ userId: newTam.id, role: 'tam' }] });
    expect((await call(t.app, agentToken, 'GET', `/api/v1/organizations/${organization.id}`)).json()).toMatchObject({ planCode: 'premium', sharesCases: true });
    const audit = await auditOf(organization.id);
    expect(audit.map((entry) => entry.action)).toEqual(['organization.created', 'organization.updated']);
    expect(audit[1]!.changes).toEqual({
      planCode: { before: 'standard', after: 'premium' },
      sharesCases: { before: false, after: true },
      tamId: { before: tam.id, after: newTam.id },
    });
    const customer = await make.contact(organization.id);
    const byCustomer = await call(t.app, await make.token(customer), 'PATCH', `/api/v1/organizations/${organization.id}`, { planCode: 'free' });
    expect(byCustomer.statusCode).toBe(403);
    expect((await auditOf(organization.id)).length).toBe(2);
  });

  describe('environment profile', () => {
    const component = (version: string) => ({ product: 'ArcGIS Enterprise', version, database: 'PostgreSQL', databaseVersion: '16', os: 'RHEL', osVersion: '9', specialConfiguration: 'Behind an F5 load balancer' });

    it('every PUT is a new version; GET returns the latest or ?version=N; history lists newest first; cases record the version they opened against', async () => {
      const organization = await make.organization();
      const requester = await make.contact(organization.id);
      const noneYet = await call(t.app, agentToken, 'GET', `/api/v1/organizations/${organization.id}/environment`);
      expect(noneYet.statusCode).toBe(404);
      expect(noneYet.json().code).toBe('ENVIRONMENT_NOT_FOUND');

      const first = await call(t.app, agentToken, 'PUT', `/api/v1/organizations/${organization.id}/environment`, { components: [component('11.1')], notes: 'initial' });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ organizationId: organization.id, version: 1, notes: 'initial', components: [component('11.1')] });
      const openedOnFirst = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'On 11.1', requesterId: requester.id })).json();

      const second = await call(t.app, agentToken, 'PUT', `/api/v1/organizations/${organization.id}/environment`, { components: [component('11.3')], notes: 'upgraded' });
      expect(second.json()).toMatchObject({ version: 2, notes: 'upgraded' });
      const openedOnSecond = (await call(t.app, await make.token(requester), 'POST', '/api/v1/tickets', { subject: 'On 11.3' })).json();

      const latest = (await call(t.app, agentToken, 'GET', `/api/v1/organizations/${organization.id}/environment`)).json();
      expect(latest).toMatchObject({ version: 2, components: [component('11.3')] });
      const firstAgain = (await call(t.app, agentToken, 'GET', `/api/v1/organizations/${organization.id}/environment?version=1`)).json();
      expect(firstAgain).toMatchObject({ version: 1, components: [component('11.1')], notes: 'initial' });
      const missing = await call(t.app, agentToken, 'GET', `/api/v1/organizations/${organization.id}/environment?version=3`);
      expect(missing.json().code).toBe('ENVIRONMENT_NOT_FOUND');

      const history = (await call(t.app, agentToken, 'GET', `/api/v1/organizations/${organization.id}/environment/history`)).json().items;
      expect(history.map((profile: { version: number; notes: string }) => [profile.version, profile.notes])).toEqual([
        [2, 'upgraded'],
        [1, 'initial'],
      ]);
      expect((await call(t.app, agentToken, 'GET', `/api/v1/organizations/${organization.id}`)).json().environmentVersion).toBe(2);

      expect(openedOnFirst.environmentVersion).toBe(1);
      expect(openedOnSecond.environmentVersion).toBe(2);
      expect((await call(t.app, agentToken, 'GET', `/api/v1/tickets/${openedOnFirst.id}`)).json().environmentVersion).toBe(1);
    });

    it('a customer-admin may record their own environment; a plain customer may not; another organisation does not exist for them', async () => {
      const organization = await make.organization();
      const other = await make.organization();
      const customerAdmin = await make.token(await make.contact(organization.id, { roles: ['customer-admin'] }));
      const customer = await make.token(await make.contact(organization.id));
      const stranger = await make.token(await make.contact(other.id));
      const url = `/api/v1/organizations/${organization.id}/environment`;

      const byAdmin = await call(t.app, customerAdmin, 'PUT', url, { components: [component('10.9')] });
      expect(byAdmin.statusCode).toBe(200);
      expect(byAdmin.json().version).toBe(1);

      const byCustomer = await call(t.app, customer, 'PUT', url, { components: [component('99')] });
      expect(byCustomer.statusCode).toBe(403);
      expect(byCustomer.json().code).toBe('ORGANIZATION_FORBIDDEN');
      expect((await call(t.app, customer, 'GET', url)).json()).toMatchObject({ version: 1, components: [component('10.9')] });

      for (const [method, path] of [['PUT', url], ['GET', url], ['GET', `${url}/history`]] as const) {
        const response = await call(t.app, stranger, method, path, method === 'PUT' ? { components: [component('0')] } : undefined);
        expect(response.statusCode, `${method} ${path}`).toBe(404);
        expect(response.json().code).toBe('ORGANIZATION_NOT_FOUND');
      }
      const history = (await call(t.app, agentToken, 'GET', `${url}/history`)).json().items;
      expect(history.map((profile: { version: number }) => profile.version)).toEqual([1]);
    });
  });
});
