import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Team, User } from '../../src/domain/identity/index.ts';
import { call, createTestApp, type TestApp } from '../support/test-app.ts';
import { MONTREAL, PARIS, PARIS_CLOSED, routingWorld, type RoutingWorld } from './routing-world.ts';

describe('the workload view', () => {
  let t: TestApp;
  let w: RoutingWorld;
  let team: Team;
  let a: User;
  let b: User;
  let c: User;
  let d: User;

  beforeAll(async () => {
    t = await createTestApp();
    w = await routingWorld(t);
    const made = await w.team(
      [
        { name: 'A', supportLine: 'L1', maxOpenCases: 10 },
        { name: 'B', supportLine: 'L1', maxOpenCases: 4, ...PARIS },
        { name: 'C', supportLine: 'L2', maxOpenCases: 5, senior: true, ...MONTREAL },
        { name: 'D', supportLine: 'L2', maxOpenCases: null },
      ],
      'manual',
    );
    team = made.team;
    [a, b, c, d] = ['A', 'B', 'C', 'D'].map((name) => made.agents.find((agent) => agent.name === name)!);
    const open = (assignee: User | null, supportLine: 'L1' | 'L2' | null, priority: 'P1' | 'P3' = 'P3', teamId: string | null = team.id) =>
      w.openCase({ assigneeId: assignee?.id ?? null, supportLine, priority, teamId });
    await open(a, 'L1', 'P1');
    await open(a, 'L1');
    await open(a, null);
    await open(a, 'L1', 'P3', null); // A's case outside the team: counts in A's load, not in the team queue
    const solved = await open(a, 'L1');
    await call(t.app, w.dispatcherToken, 'PATCH', `/api/v1/tickets/${solved.id}`, { status: 'solved' });
    for (let i = 0; i < 4; i++) await open(b, 'L1');
    await open(c, 'L2', 'P1');
    await open(d, 'L2');
    await open(d, 'L2');
    await open(null, 'L1');
    await open(null, null);
    await open(null, 'L2');
  });
  afterAll(() => t.close());

  const workload = (query: string, token = w.dispatcherToken) => call(t.app, token, 'GET', `/api/v1/workload${query}`);

  it('shows each agent open cases against capacity, utilisation and shift', async () => {
    const response = await workload(`?teamId=${team.id}&at=${PARIS_CLOSED.toISOString()}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.at).toBe(PARIS_CLOSED.toISOString());
    const byName = Object.fromEntries(body.agents.map((agent: { name: string }) => [agent.name, agent]));
    expect(Object.keys(byName).sort()).toEqual(['A', 'B', 'C', 'D']);
    expect(byName.A).toMatchObject({ userId: a.id, supportLine: 'L1', openCases: 4, byPriority: { P1: 1, P2: 0, P3: 3, P4: 0 }, capacity: 10, utilisation: 40, isAtCapacity: false, isOnShift: true, nextShiftAt: null });
    // Paris at 21:00: B is off until 09:00 Paris on Thursday (08:00 UTC).
    expect(byName.B).toMatchObject({ openCases: 4, capacity: 4, utilisation: 100, isAtCapacity: true, isOnShift: false, nextShiftAt: '2026-03-05T08:00:00.000Z' });
    expect(byName.C).toMatchObject({ supportLine: 'L2', senior: true, openCases: 1, byPriority: { P1: 1 }, capacity: 5, utilisation: 20, isOnShift: true, timeZone: 'America/Montreal' });
    expect(byName.D).toMatchObject({ openCases: 2, capacity: null, utilisation: null, isAtCapacity: false });
  });

  it('sums per team (members, capacity, queue) and per line', async () => {
    const body = (await workload(`?teamId=${team.id}&at=${PARIS_CLOSED.toISOString()}`)).json();
    expect(body.teams).toEqual([
      { teamId: team.id, name: team.name, leadId: null, strategy: 'manual', agents: 4, agentsOnShift: 3, openCases: 11, capacity: 19, uncappedAgents: 1, utilisation: 57.9, queue: { open: 13, unassigned: 3 } },
    ]);
    expect(body.lines).toEqual([
      { line: 'L1', agents: 2, agentsOnShift: 1, openCases: 8, capacity: 14, uncappedAgents: 0, utilisation: 57.1, queue: { open: 9, unassigned: 2 } },
      { line: 'L2', agents: 2, agentsOnShift: 2, openCases: 3, capacity: 5, uncappedAgents: 1, utilisation: 60, queue: { open: 4, unassigned: 1 } },
      { line: 'L3', agents: 0, agentsOnShift: 0, openCases: 0, capacity: 0, uncappedAgents: 0, utilisation: null, queue: { open: 0, unassigned: 0 } },
    ]);
    expect(body.unassignedOpenCases).toBe(3);
  });

  it('matches the cases the queues list, across all teams', async () => {
    const body = (await workload('')).json();
    const agentA = body.agents.find((agent: { userId: string }) => agent.userId === a.id);
    const listed = (await call(t.app, w.dispatcherToken, 'GET', `/api/v1/tickets?view=all-open&assigneeId=${a.id}&limit=100`)).json().items;
    const mine = listed.filter((ticket: { assigneeId: string }) => ticket.assigneeId === a.id);
    expect(agentA.openCases).toBe(mine.length);
    expect(body.teams.find((row: { teamId: string }) => row.teamId === team.id).queue).toEqual({ open: 13, unassigned: 3 });
    expect(body.unassignedOpenCases).toBe(3);
    expect(body.agents.map((agent: { userId: string }) => agent.userId)).toEqual(expect.arrayContaining([a.id, b.id, c.id, d.id, w.dispatcher.id]));
  });

  it('is for agents; an unknown team is 404 and a malformed instant 400', async () => {
    const contactToken = await w.make.token(w.contact);
    expect((await workload('', contactToken)).statusCode).toBe(403);
    const unknown = await workload('?teamId=00000000-0000-4000-8000-000000000999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('TEAM_NOT_FOUND');
    expect((await workload('?at=yesterday')).statusCode).toBe(400);
  });
});
