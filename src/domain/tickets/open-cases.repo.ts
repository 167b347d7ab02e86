import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { Priority } from './tickets.types.ts';

/**
 * Counts of open cases for routing and the workload view (the partial indexes on open cases
 * serve them). Open = not solved and not closed (`tickets.is_open`).
 */

export type OpenCasesOfAssignee = { assigneeId: string; priority: Priority; count: number };

/** Open cases per assignee and priority; only the given assignees when `assigneeIds` is set. */
export async function countOpenCasesByAssignee(executor: Executor, assigneeIds?: readonly string[]): Promise<OpenCasesOfAssignee[]> {
  if (assigneeIds && assigneeIds.length === 0) return [];
  let query = executor
    .selectFrom('tickets')
    .select(['assignee_id', 'priority', (eb) => eb.fn.countAll<string>().as('count')])
    .where('is_open', '=', true)
    .where('assignee_id', 'is not', null)
    .groupBy(['assignee_id', 'priority']);
  if (assigneeIds) query = query.where('assignee_id', 'in', [...assigneeIds]);
  const rows = await query.execute();
  return rows.map((row) => ({ assigneeId: row.assignee_id!, priority: row.priority as Priority, count: Number(row.count) }));
}

export type OpenCasesOfQueue = { teamId: string | null; supportLine: 'L1' | 'L2' | 'L3'; isAssigned: boolean; count: number };

/** Open cases per team, support line (none = L1) and assigned or not; one team's only with `teamId`. */
export async function countOpenCasesByQueue(executor: Executor, teamId?: string): Promise<OpenCasesOfQueue[]> {
  let query = executor
    .selectFrom('tickets')
    .select([
      'team_id',
      sql<string>`coalesce(support_line, 'L1')`.as('line'),
      sql<boolean>`assignee_id is not null`.as('is_assigned'),
      (eb) => eb.fn.countAll<string>().as('count'),
    ])
    .where('is_open', '=', true)
    .groupBy(['team_id', sql`2`, sql`3`]);
  if (teamId) query = query.where('team_id', '=', teamId);
  const rows = await query.execute();
  return rows.map((row) => ({ teamId: row.team_id, supportLine: row.line as OpenCasesOfQueue['supportLine'], isAssigned: row.is_assigned, count: Number(row.count) }));
}
