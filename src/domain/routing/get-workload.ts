import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { identityError, SUPPORT_LINES, SupportLine, teamExists, type Actor } from '../identity/index.ts';
import { countOpenCasesByAssignee, countOpenCasesByQueue, PRIORITIES, type OpenCasesOfQueue, type Priority } from '../tickets/index.ts';
import { isAtCapacity } from './choose-assignee.ts';
import { isOnShift, nextShiftMoment } from './on-shift.ts';
import { canRouting } from './routing.policy.ts';
import { listAgentProfiles, listTeamRoutingRows, listTeamSummaries, type AgentProfile } from './routing.repo.ts';
import { lineOf, RoutingStrategy } from './routing.types.ts';

export const WorkloadQuery = z
  .object({
    teamId: z.uuid().optional().describe('Only this team: its members, its queue'),
    at: z.iso.datetime({ offset: true }).optional().describe('Judge shifts at this instant (default now), e.g. to see who covers tonight'),
  })
  .strict();
export type WorkloadQuery = z.infer<typeof WorkloadQuery>;

const Utilisation = z.number().nullable().describe('openCases / capacity in percent (one decimal); null without a capacity');
const Queue = z.object({ open: z.number().int(), unassigned: z.number().int() }).describe('Open cases in this queue, and how many have no assignee');
const ByPriority = z.object({ P1: z.number().int(), P2: z.number().int(), P3: z.number().int(), P4: z.number().int() });

export const AgentLoad = z.object({
  userId: z.uuid(),
  name: z.string(),
  isActive: z.boolean(),
  supportLine: SupportLine.describe('The line the agent works (none recorded = L1)'),
  senior: z.boolean(),
  teamIds: z.array(z.uuid()),
  timeZone: z.string(),
  openCases: z.number().int(),
  byPriority: ByPriority,
  capacity: z.number().int().nullable().describe('Max open cases; null = no cap'),
  utilisation: Utilisation,
  isAtCapacity: z.boolean(),
  isOnShift: z.boolean(),
  nextShiftAt: z.string().nullable().describe('When the next shift starts, while off shift'),
});
const GroupLoad = {
  agents: z.number().int(),
  agentsOnShift: z.number().int(),
  openCases: z.number().int().describe('Open cases held by these agents'),
  capacity: z.number().int().describe('Sum of the caps of the active, capped agents'),
  uncappedAgents: z.number().int(),
  utilisation: Utilisation,
  queue: Queue,
};
export const TeamLoad = z.object({ teamId: z.uuid(), name: z.string(), leadId: z.uuid().nullable(), strategy: RoutingStrategy, ...GroupLoad });
export const LineLoad = z.object({ line: SupportLine, ...GroupLoad });
export const Workload = z.object({
  at: z.string(),
  agents: z.array(AgentLoad),
  teams: z.array(TeamLoad),
  lines: z.array(LineLoad),
  unassignedOpenCases: z.number().int(),
});
export type Workload = z.infer<typeof Workload>;
type AgentLoad = z.infer<typeof AgentLoad>;

const percent = (open: number, capacity: number | null): number | null => (capacity ? Math.round((open / capacity) * 1000) / 10 : null);

/**
 * The support manager's sizing view: open cases per agent against their max open cases and
 * whether they are on shift; summed per team (its members' cases and capacity, plus the team
 * queue) and per line (L1/L2/L3: the line's agents, plus the cases waiting at that line).
 * An agent in two teams counts in both. Listed agents: active agents holding the agent role or a
 * team membership, and anyone who still holds open cases (with `teamId`: that team's members).
 */
export async function getWorkload(db: Db, actor: Actor, query: WorkloadQuery): Promise<Workload> {
  if (!canRouting(actor, 'workload.read')) throw identityError('FORBIDDEN');
  if (query.teamId && !(await teamExists(db, query.teamId))) throw identityError('TEAM_NOT_FOUND');
  const at = query.at ? new Date(query.at) : new Date();
  const profiles = await listAgentProfiles(db, { teamId: query.teamId });
  const byAssignee = new Map<string, Record<Priority, number>>();
  for (const row of await countOpenCasesByAssignee(db, query.teamId ? profiles.map((profile) => profile.userId) : undefined)) {
    const counts = byAssignee.get(row.assigneeId) ?? { P1: 0, P2: 0, P3: 0, P4: 0 };
    counts[row.priority] += row.count;
    byAssignee.set(row.assigneeId, counts);
  }
  const isSupportAgent = (profile: AgentProfile) => profile.isActive && (profile.roles.includes('agent') || profile.teamIds.length > 0);
  const agents = profiles
    .filter((profile) => query.teamId || isSupportAgent(profile) || byAssignee.has(profile.userId))
    .map((profile) => agentLoad(profile, byAssignee.get(profile.userId) ?? { P1: 0, P2: 0, P3: 0, P4: 0 }, at));
  const queues = await countOpenCasesByQueue(db, query.teamId);
  const strategies = new Map((await listTeamRoutingRows(db)).map((routing) => [routing.teamId, routing.strategy]));
  const teams = (await listTeamSummaries(db, { teamId: query.teamId })).map((team) => ({
    teamId: team.id,
    name: team.name,
    leadId: team.leadId,
    strategy: strategies.get(team.id) ?? 'manual',
    ...groupLoad(agents.filter((agent) => agent.teamIds.includes(team.id)), queues.filter((queue) => queue.teamId === team.id)),
  }));
  const lines = SUPPORT_LINES.map((line) => ({
    line,
    ...groupLoad(agents.filter((agent) => agent.supportLine === line), queues.filter((queue) => queue.supportLine === line)),
  }));
  const unassignedOpenCases = queues.filter((queue) => !queue.isAssigned).reduce((sum, queue) => sum + queue.count, 0);
  return { at: at.toISOString(), agents, teams, lines, unassignedOpenCases };
}

function agentLoad(profile: AgentProfile, byPriority: Record<Priority, number>, at: Date): AgentLoad {
  const openCases = PRIORITIES.reduce((sum, priority) => sum + byPriority[priority], 0);
  const onShift = isOnShift(profile, at);
  return {
    userId: profile.userId,
    name: profile.name,
    isActive: profile.isActive,
    supportLine: lineOf(profile.supportLine),
    senior: profile.senior,
    teamIds: profile.teamIds,
    timeZone: profile.timeZone,
    openCases,
    byPriority,
    capacity: profile.maxOpenCases,
    utilisation: percent(openCases, profile.maxOpenCases),
    isAtCapacity: isAtCapacity({ openCases, maxOpenCases: profile.maxOpenCases }),
    isOnShift: onShift,
    nextShiftAt: onShift ? null : nextShiftMoment(profile, at).toISOString(),
  };
}

function groupLoad(agents: AgentLoad[], queues: OpenCasesOfQueue[]): Omit<z.infer<typeof LineLoad>, 'line'> {
  const active = agents.filter((agent) => agent.isActive);
  const openCases = agents.reduce((sum, agent) => sum + agent.openCases, 0);
  const capacity = active.reduce((sum, agent) => sum + (agent.capacity ?? 0), 0);
  return {
    agents: active.length,
    agentsOnShift: active.filter((agent) => agent.isOnShift).length,
    openCases,
    capacity,
    uncappedAgents: active.filter((agent) => agent.capacity === null).length,
    utilisation: percent(openCases, capacity),
    queue: {
      open: queues.reduce((sum, queue) => sum + queue.count, 0),
      unassigned: queues.filter((queue) => !queue.isAssigned).reduce((sum, queue) => sum + queue.count, 0),
    },
  };
}
