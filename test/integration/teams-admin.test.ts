import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, factories, unique, type TestApp } from '../support/test-app.ts';

describe('PATCH /api/v1/teams/:id: name, lead and members', () => {
  let t: TestApp;
  let make: ReturnType<typeof factories>;
  let adminToken: string;
  let agentToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    make = factories(t.database);
    adminToken = await make.token(await make.admin());
    agentToken = await make.token(await make.agent());
  });
  afterAll(() => t.close());

  const newTeam = async (body: Record<string, unknown>) => {
    const response = await call(t.app, adminToken, 'POST', '/api/v1/teams', { name: unique('Team'), ...body });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; name: string; leadId: string | null; memberIds: string[] };
  };
  const sorted = (ids: string[]) => [...ids].sort();

  it('replaces the members and the lead; the lead is always a member; users see it in their teams', async () => {
    const [ana, ben, cy] = [await make.agent(), await make.agent(), await make.agent()];
    const team = await newTeam({ leadId: ana.id, memberIds: [ana.id, ben.id] });
    const patch = (body: unknown) => call(t.app, adminToken, 'PATCH', `/api/v1/teams/${team.id}`, body);

    const renamed = await patch({ name: `${team.name} EMEA`, leadId: cy.id, memberIds: [ben.id] });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ id: team.id, name: `${team.name} EMEA`, leadId: cy.id });
    expect(sorted(renamed.json().memberIds)).toEqual(sorted([ben.id, cy.id]));
    expect((await call(t.app, adminToken, 'GET', `/api/v1/users/${ana.id}`)).json().teamIds).not.toContain(team.id);
    expect((await call(t.app, adminToken, 'GET', `/api/v1/users/${cy.id}`)).json().teamIds).toContain(team.id);
    const listed = (await call(t.app, agentToken, 'GET', '/api/v1/teams')).json().items.find((item: { id: string }) => item.id === team.id);
    expect(sorted(listed.memberIds)).toEqual(sorted([ben.id, cy.id]));

    // Dropping the lead from the members, without naming another, leaves the team without a lead.
    const leaderless = await patch({ memberIds: [ben.id] });
    expect(leaderless.json()).toMatchObject({ leadId: null, memberIds: [ben.id] });
    // Only the lead given: added to the members.
    expect((await patch({ leadId: ana.id })).json()).toMatchObject({ leadId: ana.id });
    expect(sorted((await patch({})).json().memberIds)).toEqual(sorted([ana.id, ben.id]));
    expect((await patch({ memberIds: [] , leadId: null })).json()).toMatchObject({ leadId: null, memberIds: [] });

    const audit = await t.database.db.selectFrom('audit_events').select(['action']).where('subject_id', '=', team.id).execute();
    expect(audit.map((row) => row.action)).toContain('team.updated');
  });

  it('refuses with stable codes: a contact or unknown member, a taken name, an unknown team, a non-admin', async () => {
    const member = await make.agent();
    const team = await newTeam({ memberIds: [member.id] });
    const other = await newTeam({});
    const organization = await make.organization();
    const contact = await make.contact(organization.id);
    const patch = (body: unknown, token = adminToken, id = team.id) => call(t.app, token, 'PATCH', `/api/v1/teams/${id}`, body);
    const cases: Array<[unknown, number, string]> = [
      [{ memberIds: [contact.id] }, 404, 'USER_NOT_FOUND'],
      [{ leadId: '00000000-0000-4000-8000-00000000beef' }, 404, 'USER_NOT_FOUND'],
      [{ name: other.name.toLowerCase() }, 409, 'TEAM_NAME_TAKEN'],
      [{ name: '' }, 400, 'VALIDATION_FAILED'],
      [{ memberIds: ['not-a-uuid'] }, 400, 'VALIDATION_FAILED'],
      [{ strategy: 'round-robin' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const response = await patch(body);
      expect({ body, status: response.statusCode, code: response.json().code }).toEqual({ body, status, code });
    }
    expect((await patch({ name: 'Mine now' }, agentToken)).statusCode).toBe(403);
    expect((await patch({ name: 'Ghost' }, adminToken, '00000000-0000-4000-8000-00000000dead')).json().code).toBe('TEAM_NOT_FOUND');
    const unchanged = (await call(t.app, adminToken, 'GET', '/api/v1/teams')).json().items.find((item: { id: string }) => item.id === team.id);
    expect(unchanged).toMatchObject({ name: team.name, memberIds: [member.id], leadId: null });
    // Renaming to its own name in another case is not a conflict.
    expect((await patch({ name: team.name.toUpperCase() })).statusCode).toBe(200);
  });
});
