import { createTeam, SYSTEM_ACTOR, type CreateUserInput, type Team, type User, type WorkingHours } from '../../src/domain/identity/index.ts';
import { createTicket, type CreateTicketInput, type Ticket } from '../../src/domain/tickets/index.ts';
import type { RoutingStrategy } from '../../src/domain/routing/index.ts';
import { actorOf, call, factories, unique, type TestApp } from '../support/test-app.ts';

/** Shared fixtures of the routing-*.test.ts files (not a test file itself). */

const weekdays = (blocks: [string, string][]): WorkingHours => ({ mon: blocks, tue: blocks, wed: blocks, thu: blocks, fri: blocks });
export const PARIS: Partial<CreateUserInput> = { timeZone: 'Europe/Paris', workingHours: weekdays([['09:00', '18:00']]) };
export const MONTREAL: Partial<CreateUserInput> = { timeZone: 'America/Montreal', workingHours: weekdays([['09:00', '17:00']]) };

/** Wednesday 4 March 2026 (before both DST switches): Paris is UTC+1, Montréal UTC-5. */
export const BOTH_OPEN = new Date('2026-03-04T15:00:00Z'); // Paris 16:00, Montréal 10:00
export const PARIS_CLOSED = new Date('2026-03-04T20:00:00Z'); // Paris 21:00, Montréal 15:00
export const NIGHT = new Date('2026-03-04T03:00:00Z'); // Paris 04:00, Montréal 22:00 (Tuesday)

export type RoutingWorld = Awaited<ReturnType<typeof routingWorld>>;

export async function routingWorld(t: TestApp) {
  const make = factories(t.database);
  const db = t.database.db;
  const admin = await make.admin();
  const adminToken = await make.token(admin);
  const dispatcher = await make.agent({ name: 'Dispatcher' });
  const dispatcherToken = await make.token(dispatcher);
  const organization = await make.organization();
  const contact = await make.contact(organization.id);

  /** Agents (in user-id order, so A, B, C… is the round-robin ring) in a new team with a strategy. */
  async function team(members: Partial<CreateUserInput>[], strategy: RoutingStrategy, options: { lead?: Partial<CreateUserInput> } = {}): Promise<{ team: Team; agents: User[]; lead: User | null }> {
    const agents = (await Promise.all(members.map((input) => make.agent({ name: unique('Agent'), supportLine: 'L1', ...input })))).sort((left, right) => (left.id < right.id ? -1 : 1));
    const lead = options.lead ? await make.agent({ name: unique('Lead'), ...options.lead }) : null;
    const created = await createTeam(db, SYSTEM_ACTOR, { name: unique('Team'), memberIds: agents.map((agent) => agent.id), leadId: lead?.id ?? null });
    const response = await call(t.app, adminToken, 'PUT', `/api/v1/teams/${created.id}/routing`, { strategy });
    if (response.statusCode !== 200) throw new Error(`routing not set: ${response.body}`);
    return { team: created, agents, lead };
  }

  /** A case of the organisation (or another), opened by the dispatcher. */
  function openCase(input: Partial<CreateTicketInput> = {}, requester: User = contact): Promise<Ticket> {
    return createTicket(db, actorOf(dispatcher), { subject: unique('Case'), requesterId: requester.id, ...input });
  }

  return { make, db, admin, adminToken, dispatcher, dispatcherToken, organization, contact, team, openCase };
}
