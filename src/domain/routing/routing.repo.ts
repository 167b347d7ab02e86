import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { SupportLine, WorkingHours } from '../identity/index.ts';
import type { Priority } from '../tickets/index.ts';
import type { PriorityRule, RoutingCandidate, RoutingStrategy, TeamRouting } from './routing.types.ts';

/**
 * Routing's SQL: team strategies, per-agent routing state and priority rules (its own tables),
 * plus read-only views of agents and teams (identity's tables, read the way notifications reads
 * recipients) that routing needs inside its own transactions.
 */

type TeamRoutingRow = { team_id: string; strategy: RoutingStrategy; last_assigned_user_id: string | null; updated_at: Date };
const toTeamRouting = (row: TeamRoutingRow): TeamRouting => ({
  teamId: row.team_id,
  strategy: row.strategy,
  lastAssignedUserId: row.last_assigned_user_id,
  updatedAt: row.updated_at.toISOString(),
});

/** A team's routing row; with `forUpdate`, locked until the transaction ends (one assignment at a time per team). */
export async function findTeamRouting(executor: Executor, teamId: string, options: { forUpdate?: boolean } = {}): Promise<TeamRouting | undefined> {
  let query = executor.selectFrom('team_routing').selectAll().where('team_id', '=', teamId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toTeamRouting(row) : undefined;
}

export async function upsertTeamRouting(executor: Executor, teamId: string, strategy: RoutingStrategy): Promise<TeamRouting> {
  const row = await executor
    .insertInto('team_routing')
    .values({ team_id: teamId, strategy, updated_at: sql<Date>`now()` })
    .onConflict((conflict) => conflict.column('team_id').doUpdateSet({ strategy, updated_at: sql<Date>`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTeamRouting(row);
}

export async function listTeamRoutingRows(executor: Executor): Promise<TeamRouting[]> {
  return (await executor.selectFrom('team_routing').selectAll().execute()).map(toTeamRouting);
}

/** Remembers who routing gave a case to: the team's rotation moves on, the agent is no longer idle. */
export async function recordRoutedAssignment(executor: Executor, teamId: string, userId: string, at: Date): Promise<void> {
  await executor.updateTable('team_routing').set({ last_assigned_user_id: userId, updated_at: sql<Date>`now()` }).where('team_id', '=', teamId).execute();
  await executor
    .insertInto('routing_agent_state')
    .values({ user_id: userId, last_assigned_at: at, assignments: 1 })
    .onConflict((conflict) =>
      conflict.column('user_id').doUpdateSet({ last_assigned_at: at, assignments: sql<number>`routing_agent_state.assignments + 1` }),
    )
    .execute();
}

/** An agent's routing facts (a candidate before its open cases are counted), with name, roles and teams. */
export type AgentProfile = Omit<RoutingCandidate, 'openCases'> & { name: string; roles: string[]; teamIds: string[] };

/** Agents (all, or the members of one team) with their routing facts, ordered by id. */
export async function listAgentProfiles(executor: Executor, options: { teamId?: string } = {}): Promise<AgentProfile[]> {
  let query = executor
    .selectFrom('users')
    .leftJoin('routing_agent_state', 'routing_agent_state.user_id', 'users.id')
    .select([
      'users.id',
      'users.name',
      'users.roles',
      'users.is_active',
      'users.is_senior',
      'users.support_line',
      'users.time_zone',
      'users.working_hours',
      'users.max_open_cases',
      'routing_agent_state.last_assigned_at',
    ])
    .where('users.kind', '=', 'agent')
    .orderBy('users.id');
  if (options.teamId) {
    const teamId = options.teamId;
    query = query.where('users.id', 'in', (eb) => eb.selectFrom('team_members').select('user_id').where('team_id', '=', teamId));
  }
  const rows = await query.execute();
  const memberships = rows.length
    ? await executor.selectFrom('team_members').select(['team_id', 'user_id']).where('user_id', 'in', rows.map((row) => row.id)).execute()
    : [];
  return rows.map((row) => ({
    userId: row.id,
    name: row.name,
    roles: row.roles,
    isActive: row.is_active,
    senior: row.is_senior,
    supportLine: row.support_line as SupportLine | null,
    timeZone: row.time_zone,
    workingHours: (row.working_hours as WorkingHours | null) ?? null,
    maxOpenCases: row.max_open_cases,
    lastAssignedAt: row.last_assigned_at ?? null,
    teamIds: memberships.filter((member) => member.user_id === row.id).map((member) => member.team_id),
  }));
}

export type TeamSummary = { id: string; name: string; leadId: string | null };

export async function listTeamSummaries(executor: Executor, options: { teamId?: string } = {}): Promise<TeamSummary[]> {
  let query = executor.selectFrom('teams').select(['id', 'name', 'lead_id']).orderBy('name');
  if (options.teamId) query = query.where('id', '=', options.teamId);
  return (await query.execute()).map((row) => ({ id: row.id, name: row.name, leadId: row.lead_id }));
}

/** Whether routing already decided about this case (an outbox replay must not decide twice). */
export async function hasRoutingDecision(executor: Executor, ticketId: string): Promise<boolean> {
  const row = await executor
    .selectFrom('audit_events')
    .select('id')
    .where('ticket_id', '=', ticketId)
    .where('action', 'in', ['ticket.auto-assigned', 'ticket.auto-assign-skipped'])
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}

// Priority rules.

type PriorityRuleRow = { id: string; product: string | null; impact: string; priority: string; position: number; created_at: Date };
const toPriorityRule = (row: PriorityRuleRow): PriorityRule => ({
  id: row.id,
  product: row.product,
  impact: row.impact,
  priority: row.priority as Priority,
  position: row.position,
  createdAt: row.created_at.toISOString(),
});

export async function listPriorityRuleRows(executor: Executor): Promise<PriorityRule[]> {
  const rows = await executor.selectFrom('priority_rules').selectAll().orderBy('position').orderBy('created_at').orderBy('id').execute();
  return rows.map(toPriorityRule);
}

/** Inserts a rule; without a position it goes after the last one (positions step by 10). */
export async function insertPriorityRule(executor: Executor, record: { product: string | null; impact: string; priority: Priority; position?: number }): Promise<PriorityRule> {
  const position =
    record.position ??
    Number((await executor.selectFrom('priority_rules').select(sql<number>`coalesce(max(position), 0) + 10`.as('next')).executeTakeFirstOrThrow()).next);
  const row = await executor
    .insertInto('priority_rules')
    .values({ product: record.product, impact: record.impact, priority: record.priority, position })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPriorityRule(row);
}

export async function deletePriorityRuleRow(executor: Executor, id: string): Promise<PriorityRule | undefined> {
  const row = await executor.deleteFrom('priority_rules').where('id', '=', id).returningAll().executeTakeFirst();
  return row ? toPriorityRule(row) : undefined;
}

/**
 * Open, unassigned cases that automatic routing left waiting (nobody on shift) in a team that routes
 * automatically, most urgent and oldest first: the shift-start re-offer looks at them again.
 */
export async function listCasesWaitingForShift(executor: Executor, limit: number): Promise<string[]> {
  const rows = await executor
    .selectFrom('tickets')
    .innerJoin('team_routing', 'team_routing.team_id', 'tickets.team_id')
    .select('tickets.id')
    .where('tickets.is_open', '=', true)
    .where('tickets.assignee_id', 'is', null)
    .where('tickets.merged_into_id', 'is', null)
    .where('team_routing.strategy', '<>', 'manual')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('audit_events')
          .select('audit_events.id')
          .whereRef('audit_events.ticket_id', '=', 'tickets.id')
          .where('audit_events.action', '=', 'ticket.auto-assign-skipped'),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('audit_events')
            .select('audit_events.id')
            .whereRef('audit_events.ticket_id', '=', 'tickets.id')
            // Routed since, escalated, or assigned/unassigned by hand: people decided, leave it alone.
            .where((eb) =>
              eb.or([eb('audit_events.action', 'in', ['ticket.auto-assigned', 'ticket.escalated']), eb.and([eb('audit_events.action', '=', 'ticket.updated'), sql<boolean>`audit_events.changes ? 'assigneeId'`])]),
            ),
        ),
      ),
    )
    .orderBy('tickets.priority')
    .orderBy('tickets.created_at')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}
