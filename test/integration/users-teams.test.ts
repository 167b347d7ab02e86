import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/domain/accounts/index.ts';
import type { User } from '../../src/domain/identity/index.ts';
import { call, createTestApp, factories, unique, type TestApp } from '../support/test-app.ts';

const WORKING_HOURS = { mon: [['09:00', '12:30'], ['13:30', '18:00']], tue: [['09:00', '17:00']], fri: [['08:00', '12:00']] };

describe('users and teams', () => {
  let t: TestApp;
  let make: ReturnType<typeof factories>;
  let org: Organization;
  let adminToken: string;
  let agent: User;
  let agentToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    make = factories(t.database);
    org = await make.organization();
    adminToken = await make.token(await make.admin());
    agent = await make.agent();
    agentToken = await make.token(agent);
  });
  afterAll(() => t.close());

  const email = (prefix: string) => `${unique(prefix)}@casebook.test`;
  const createUser = (token: string, body: Record<string, unknown>) => call(t.app, token, 'POST', '/api/v1/users', body);

  it('an admin creates an agent with several roles, seniority, line, time zone, working hours and a case cap', async () => {
    const response = await createUser(adminToken, {
      email: email('Tess.TAM'),
      name: 'Tess TAM',
      roles: ['agent', 'tam', 'csm'],
      senior: true,
      supportLine: 'L3',
      timeZone: 'Europe/Paris',
      locale: 'fr',
      workingHours: WORKING_HOURS,
      maxOpenCases: 12,
    });
    expect(response.statusCode).toBe(201);
    const user = response.json();
    expect(user).toMatchObject({ kind: 'agent', roles: ['agent', 'tam', 'csm'], organizationId: null, senior: true, supportLine: 'L3', timeZone: 'Europe/Paris', locale: 'fr', workingHours: WORKING_HOURS, maxOpenCases: 12, isActive: true, teamIds: [] });
    expect(user.email).toBe(user.email.toLowerCase());
    expect(user).not.toHaveProperty('password');
    expect(user).not.toHaveProperty('passwordHash');
    expect((await call(t.app, adminToken, 'GET', `/api/v1/users/${user.id}`)).json()).toEqual(user);
    const tams = (await call(t.app, adminToken, 'GET', '/api/v1/users?role=tam&limit=200')).json().items.map((item: { id: string }) => item.id);
    expect(tams).toContain(user.id);
  });

  it('a contact needs an organisation, and agent and customer roles never mix (422 USER_ROLES_INVALID)', async () => {
    const orphan = await createUser(adminToken, { email: email('orphan'), name: 'Orphan', roles: ['customer'] });
    expect(orphan.statusCode).toBe(422);
    expect(orphan.json().code).toBe('USER_ROLES_INVALID');
    const mixed = await createUser(adminToken, { email: email('mixed'), name: 'Mixed', roles: ['agent', 'customer'], organizationId: org.id });
    expect(mixed.statusCode).toBe(422);
    expect(mixed.json().code).toBe('USER_ROLES_INVALID');
    const agentInOrg = await createUser(adminToken, { email: email('embedded'), name: 'Embedded', roles: ['agent'], organizationId: org.id });
    expect(agentInOrg.json().code).toBe('USER_ROLES_INVALID');
    const contact = await createUser(adminToken, { email: email('contact'), name: 'Contact', roles: ['customer', 'customer-admin'], organizationId: org.id });
    expect(contact.statusCode).toBe(201);
    expect(contact.json()).toMatchObject({ kind: 'contact', organizationId: org.id, roles: ['customer', 'customer-admin'] });
  });

  it('an e-mail address is taken whatever its case (409 USER_EMAIL_TAKEN)', async () => {
    const address = email('taken');
    expect((await createUser(adminToken, { email: address, name: 'First', roles: ['agent'] })).statusCode).toBe(201);
    const again = await createUser(adminToken, { email: address.toUpperCase(), name: 'Second', roles: ['agent'] });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('USER_EMAIL_TAKEN');
  });

  it('an unknown time zone or malformed working hours are 400 VALIDATION_FAILED', async () => {
    const zone = await createUser(adminToken, { email: email('zone'), name: 'Zone', roles: ['agent'], timeZone: 'Mars/Olympus_Mons' });
    expect(zone.statusCode).toBe(400);
    expect(zone.json().code).toBe('VALIDATION_FAILED');
    expect(zone.json().message).toContain('timeZone');
    const hours = await createUser(adminToken, { email: email('hours'), name: 'Hours', roles: ['agent'], workingHours: { mon: [['9am', '5pm']] } });
    expect(hours.json().code).toBe('VALIDATION_FAILED');
  });

  it('an agent (not admin) adds customer contacts but not agents', async () => {
    const contact = await createUser(agentToken, { email: email('by-agent'), name: 'By agent', roles: ['customer'], organizationId: org.id });
    expect(contact.statusCode).toBe(201);
    const colleague = await createUser(agentToken, { email: email('colleague'), name: 'Colleague', roles: ['agent'] });
    expect(colleague.statusCode).toBe(403);
    expect(colleague.json().code).toBe('FORBIDDEN');
    const promoted = await createUser(agentToken, { email: email('boss'), name: 'Boss', roles: ['admin', 'agent'] });
    expect(promoted.statusCode).toBe(403);
  });

  it('a user edits their own locale, time zone and working hours, but not their roles', async () => {
    const self = await make.agent();
    const token = await make.token(self);
    const patched = await call(t.app, token, 'PATCH', `/api/v1/users/${self.id}`, { locale: 'es', timeZone: 'America/Bogota', workingHours: WORKING_HOURS });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ locale: 'es', timeZone: 'America/Bogota', workingHours: WORKING_HOURS });
    for (const privileged of [{ roles: ['agent', 'admin'] }, { senior: true }, { isActive: false }, { maxOpenCases: 1000 }]) {
      const refused = await call(t.app, token, 'PATCH', `/api/v1/users/${self.id}`, privileged);
      expect(refused.statusCode, JSON.stringify(privileged)).toBe(403);
      expect(refused.json().code).toBe('FORBIDDEN');
    }
    const me = (await call(t.app, token, 'GET', '/api/v1/me')).json();
    expect(me).toMatchObject({ id: self.id, roles: ['agent'], senior: false, isActive: true, locale: 'es', timeZone: 'America/Bogota' });
    const other = await call(t.app, token, 'PATCH', `/api/v1/users/${agent.id}`, { locale: 'fr' });
    expect(other.statusCode).toBe(403);
  });

  it('changing one\'s own password needs the current one; an admin resets another user\'s without it', async () => {
    const self = await make.agent({ password: 'first password 1' });
    const token = await make.token(self);
    const signIn = (password: string) => call(t.app, null, 'POST', '/api/v1/auth/login', { email: self.email, password });
    for (const body of [{ password: 'second password 2' }, { password: 'second password 2', currentPassword: 'not it at all' }]) {
      const refused = await call(t.app, token, 'PATCH', `/api/v1/users/${self.id}`, body);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('PASSWORD_CURRENT_INVALID');
    }
    expect((await signIn('first password 1')).statusCode).toBe(200);
    const changed = await call(t.app, token, 'PATCH', `/api/v1/users/${self.id}`, { password: 'second password 2', currentPassword: 'first password 1' });
    expect(changed.statusCode).toBe(200);
    expect((await signIn('first password 1')).statusCode).toBe(401);
    expect((await signIn('second password 2')).statusCode).toBe(200);
    const reset = await call(t.app, adminToken, 'PATCH', `/api/v1/users/${self.id}`, { password: 'third password 3' });
    expect(reset.statusCode).toBe(200);
    expect((await signIn('third password 3')).statusCode).toBe(200);
  });

  it('GET /api/v1/me returns the signed-in user, for agents and contacts', async () => {
    const me = await call(t.app, agentToken, 'GET', '/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: agent.id, email: agent.email, kind: 'agent' });
    const contact = await make.contact(org.id);
    expect((await call(t.app, await make.token(contact), 'GET', '/api/v1/me')).json()).toMatchObject({ id: contact.id, kind: 'contact', organizationId: org.id });
  });

  describe('teams', () => {
    it('an admin creates a team of agents; members see it on their profile; agents list teams', async () => {
      const lead = await make.agent({ senior: true });
      const member = await make.agent();
      const name = unique('GIS Server');
      const response = await call(t.app, adminToken, 'POST', '/api/v1/teams', { name, leadId: lead.id, memberIds: [member.id] });
      expect(response.statusCode).toBe(201);
      const team = response.json();
      expect(team).toMatchObject({ name, leadId: lead.id });
      expect([...team.memberIds].sort()).toEqual([lead.id, member.id].sort());
      const listed = (await call(t.app, agentToken, 'GET', '/api/v1/teams')).json().items;
      expect(listed.find((item: { id: string }) => item.id === team.id)).toMatchObject({ name, leadId: lead.id });
      expect((await call(t.app, adminToken, 'GET', `/api/v1/users/${member.id}`)).json().teamIds).toEqual([team.id]);
      const contact = await make.contact(org.id);
      expect((await call(t.app, await make.token(contact), 'GET', '/api/v1/teams')).statusCode).toBe(403);
    });

    it('only agents can be members; the team is not created otherwise', async () => {
      const contact = await make.contact(org.id);
      const name = unique('Mixed team');
      const response = await call(t.app, adminToken, 'POST', '/api/v1/teams', { name, memberIds: [agent.id, contact.id] });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(response.json().code).toBe('USER_NOT_FOUND');
      const listed = (await call(t.app, adminToken, 'GET', '/api/v1/teams')).json().items;
      expect(listed.map((item: { name: string }) => item.name)).not.toContain(name);
    });

    it('a team name is unique whatever its case (409 TEAM_NAME_TAKEN)', async () => {
      const name = unique('Escalations');
      expect((await call(t.app, adminToken, 'POST', '/api/v1/teams', { name })).statusCode).toBe(201);
      const again = await call(t.app, adminToken, 'POST', '/api/v1/teams', { name: name.toLowerCase() });
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('TEAM_NAME_TAKEN');
    });
  });
});
