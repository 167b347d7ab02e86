import type { Executor, Tx } from '../../platform/db/database.ts';
import { policyOfPlan, resolveSlaPolicy, type Plan } from '../plans/index.ts';
import { countOpenCasesByAssignee, type Ticket } from '../tickets/index.ts';
import { chooseAssignee } from './choose-assignee.ts';
import { findTeamRouting, listAgentProfiles } from './routing.repo.ts';
import type { AssigneeChoice, RoutingCase, TeamRouting } from './routing.types.ts';

/** The plan a case runs under: the one it was opened with, else its organisation's plan when it was opened. */
export async function planOfCase(tx: Executor, ticket: Pick<Ticket, 'planId' | 'organizationId' | 'createdAt'>): Promise<Plan | undefined> {
  const policy = ticket.planId ? await policyOfPlan(tx, ticket.planId) : await resolveSlaPolicy(tx, ticket.organizationId, new Date(ticket.createdAt));
  return policy?.plan;
}

export type TeamDecision = { routing: TeamRouting & { strategy: 'round-robin' | 'least-loaded' }; choice: AssigneeChoice };

/**
 * Locks the team's routing row, then picks one of its members by the team's strategy.
 * The lock makes assignments of one team strictly one after another across app nodes, and the
 * open-case counts are read after it, so a round-robin slot or a capacity is never used twice.
 * Undefined when the team routes manually (no row, or `manual`).
 */
export async function pickTeamAgent(tx: Tx, teamId: string, routedCase: RoutingCase, now: Date): Promise<TeamDecision | undefined> {
  const routing = await findTeamRouting(tx, teamId, { forUpdate: true });
  if (!routing || routing.strategy === 'manual') return undefined;
  const members = await listAgentProfiles(tx, { teamId });
  const openCounts = new Map<string, number>();
  for (const row of await countOpenCasesByAssignee(tx, members.map((member) => member.userId))) {
    openCounts.set(row.assigneeId, (openCounts.get(row.assigneeId) ?? 0) + row.count);
  }
  const choice = chooseAssignee({
    candidates: members.map((member) => ({ ...member, openCases: openCounts.get(member.userId) ?? 0 })),
    case: routedCase,
    strategy: routing.strategy,
    lastAssignedUserId: routing.lastAssignedUserId,
    now,
  });
  return { routing: { ...routing, strategy: routing.strategy }, choice };
}
