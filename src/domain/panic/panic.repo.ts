import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { PanicEvent } from './panic.types.ts';

/**
 * Serialises panic presses of one organisation: the quota is counted and spent under this row
 * lock. FOR NO KEY UPDATE conflicts with itself but not with the key-share locks that new cases
 * and contracts take on the organisation, so ordinary work on the account is not held up.
 * The organisation row (not the contract row) is locked because an organisation may have a plan
 * without a contract. Returns false when the organisation does not exist.
 */
export async function lockOrganizationForPanic(executor: Executor, organizationId: string): Promise<boolean> {
  const row = await executor.selectFrom('organizations').select('id').where('id', '=', organizationId).forNoKeyUpdate().executeTakeFirst();
  return row !== undefined;
}

export async function countPanicEvents(executor: Executor, organizationId: string, from: Date, until: Date): Promise<number> {
  const row = await executor
    .selectFrom('panic_events')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('organization_id', '=', organizationId)
    .where('created_at', '>=', from)
    .where('created_at', '<', until)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertPanicEvent(
  executor: Executor,
  record: { organizationId: string; contractId: string | null; ticketId: string; pressedBy: string; description: string; createdAt: Date },
): Promise<string> {
  const row = await executor
    .insertInto('panic_events')
    .values({
      organization_id: record.organizationId,
      contract_id: record.contractId,
      ticket_id: record.ticketId,
      pressed_by: record.pressedBy,
      description: record.description,
      created_at: record.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Every active agent: the whole vendor organisation hears a panic. */
export async function listActiveAgentIds(executor: Executor): Promise<string[]> {
  const rows = await executor.selectFrom('users').select('id').where('kind', '=', 'agent').where('is_active', '=', true).execute();
  return rows.map((row) => row.id);
}

export type PanicHistoryFilter = {
  id?: string;
  /** undefined = every organisation. */
  organizationIds?: string[];
  after?: { createdAt: string; id: string };
  limit: number;
};

/** Panic presses, newest first, with who pressed, the organisation and the case number. */
export async function listPanicEventRows(executor: Executor, filter: PanicHistoryFilter): Promise<PanicEvent[]> {
  let query = executor
    .selectFrom('panic_events as p')
    .innerJoin('organizations as o', 'o.id', 'p.organization_id')
    .innerJoin('users as u', 'u.id', 'p.pressed_by')
    .innerJoin('tickets as t', 't.id', 'p.ticket_id')
    .select(['p.id', 'p.organization_id', 'o.name as organization_name', 'p.contract_id', 'p.ticket_id', 't.number', 'p.pressed_by', 'u.name as user_name', 'u.email', 'p.description', 'p.created_at'])
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(filter.limit);
  if (filter.id) query = query.where('p.id', '=', filter.id);
  if (filter.organizationIds) {
    if (filter.organizationIds.length === 0) return [];
    query = query.where('p.organization_id', 'in', filter.organizationIds);
  }
  if (filter.after) query = query.where(sql<boolean>`(p.created_at, p.id) < (${filter.after.createdAt}::timestamptz, ${filter.after.id}::uuid)`);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    contractId: row.contract_id,
    ticketId: row.ticket_id,
    ticketNumber: row.number,
    pressedBy: { id: row.pressed_by, name: row.user_name, email: row.email },
    description: row.description,
    createdAt: row.created_at.toISOString(),
  }));
}
