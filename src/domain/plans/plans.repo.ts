import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { CalendarsTable, PlansTable } from '../../platform/db/schema.ts';
import { BusinessCalendar, isTwentyFourSeven } from '../sla/index.ts';
import type { Calendar, Contract, Plan, PlanTargets } from './plans.types.ts';

function toCalendar(row: Selectable<CalendarsTable>): Calendar {
  const definition = BusinessCalendar.parse(row.definition);
  return {
    id: row.id,
    name: row.name,
    definition,
    isTwentyFourSeven: isTwentyFourSeven(definition),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toPlan(row: Selectable<PlansTable>): Plan {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    calendarId: row.calendar_id,
    targets: row.targets as PlanTargets,
    pauseStatuses: row.pause_statuses as Plan['pauseStatuses'],
    warningThresholds: row.warning_thresholds,
    seniorOnly: row.is_senior_only,
    teamId: row.team_id,
    namedTam: row.has_named_tam,
    panicQuota: row.panic_quota,
    extras: (row.extras ?? {}) as Record<string, unknown>,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function insertCalendar(executor: Executor, name: string, definition: BusinessCalendar): Promise<Calendar> {
  const row = await executor.insertInto('calendars').values({ name, definition: JSON.stringify(definition) }).returningAll().executeTakeFirstOrThrow();
  return toCalendar(row);
}

export async function updateCalendarDefinition(executor: Executor, id: string, definition: BusinessCalendar): Promise<Calendar | undefined> {
  const row = await executor
    .updateTable('calendars')
    .set({ definition: JSON.stringify(definition), updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? toCalendar(row) : undefined;
}

export async function findCalendar(executor: Executor, id: string, options: { forUpdate?: boolean } = {}): Promise<Calendar | undefined> {
  let query = executor.selectFrom('calendars').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toCalendar(row) : undefined;
}

export async function renameCalendar(executor: Executor, id: string, name: string): Promise<Calendar | undefined> {
  const row = await executor.updateTable('calendars').set({ name, updated_at: sql<Date>`now()` }).where('id', '=', id).returningAll().executeTakeFirst();
  return row ? toCalendar(row) : undefined;
}

/** The plans whose coverage calendar this is (their open cases move when it changes). */
export async function listPlanIdsUsingCalendar(executor: Executor, calendarId: string): Promise<string[]> {
  return (await executor.selectFrom('plans').select('id').where('calendar_id', '=', calendarId).execute()).map((row) => row.id);
}

export async function findCalendarByName(executor: Executor, name: string): Promise<{ id: string } | undefined> {
  return executor.selectFrom('calendars').select('id').where(sql<string>`lower(name)`, '=', name.toLowerCase()).executeTakeFirst();
}

export async function listCalendarRows(executor: Executor): Promise<Calendar[]> {
  return (await executor.selectFrom('calendars').selectAll().orderBy('name').execute()).map(toCalendar);
}

export type PlanRecord = {
  code?: string;
  name?: string;
  calendarId?: string;
  targets?: PlanTargets;
  pauseStatuses?: string[];
  warningThresholds?: number[];
  seniorOnly?: boolean;
  teamId?: string | null;
  namedTam?: boolean;
  panicQuota?: number | null;
  extras?: Record<string, unknown>;
};

export async function insertPlan(executor: Executor, record: Required<Pick<PlanRecord, 'code' | 'name' | 'calendarId' | 'targets'>> & PlanRecord): Promise<Plan> {
  const row = await executor
    .insertInto('plans')
    .values({
      code: record.code,
      name: record.name,
      calendar_id: record.calendarId,
      targets: JSON.stringify(record.targets),
      pause_statuses: record.pauseStatuses,
      warning_thresholds: record.warningThresholds,
      is_senior_only: record.seniorOnly,
      team_id: record.teamId ?? null,
      has_named_tam: record.namedTam,
      panic_quota: record.panicQuota ?? null,
      extras: JSON.stringify(record.extras ?? {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPlan(row);
}

export async function updatePlanRow(executor: Executor, id: string, record: PlanRecord): Promise<Plan | undefined> {
  const row = await executor
    .updateTable('plans')
    .set({
      ...(record.name !== undefined && { name: record.name }),
      ...(record.calendarId !== undefined && { calendar_id: record.calendarId }),
      ...(record.targets !== undefined && { targets: JSON.stringify(record.targets) }),
      ...(record.pauseStatuses !== undefined && { pause_statuses: record.pauseStatuses }),
      ...(record.warningThresholds !== undefined && { warning_thresholds: record.warningThresholds }),
      ...(record.seniorOnly !== undefined && { is_senior_only: record.seniorOnly }),
      ...(record.teamId !== undefined && { team_id: record.teamId }),
      ...(record.namedTam !== undefined && { has_named_tam: record.namedTam }),
      ...(record.panicQuota !== undefined && { panic_quota: record.panicQuota }),
      ...(record.extras !== undefined && { extras: JSON.stringify(record.extras) }),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? toPlan(row) : undefined;
}

export async function findPlan(executor: Executor, id: string): Promise<Plan | undefined> {
  const row = await executor.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPlan(row) : undefined;
}

export async function findPlanByCode(executor: Executor, code: string): Promise<Plan | undefined> {
  const row = await executor.selectFrom('plans').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? toPlan(row) : undefined;
}

export async function listPlanRows(executor: Executor): Promise<Plan[]> {
  return (await executor.selectFrom('plans').selectAll().orderBy('name').execute()).map(toPlan);
}

const contractColumns = ['id', 'organization_id', 'plan_id', sql<string>`starts_on::text`.as('starts_on'), sql<string>`ends_on::text`.as('ends_on'), 'created_at'] as const;

type ContractRow = { id: string; organization_id: string; plan_id: string; starts_on: string; ends_on: string; created_at: Date };
const toContract = (row: ContractRow): Contract => ({
  id: row.id,
  organizationId: row.organization_id,
  planId: row.plan_id,
  startsOn: row.starts_on,
  endsOn: row.ends_on,
  createdAt: row.created_at.toISOString(),
});

export async function insertContract(executor: Executor, record: { organizationId: string; planId: string; startsOn: string; endsOn: string; createdBy: string | null }): Promise<Contract> {
  const row = await executor
    .insertInto('contracts')
    .values({ organization_id: record.organizationId, plan_id: record.planId, starts_on: record.startsOn, ends_on: record.endsOn, created_by: record.createdBy })
    .returning(contractColumns)
    .executeTakeFirstOrThrow();
  return toContract(row);
}

/** The contract in force on a date (the latest-starting one if several overlap). */
export async function findActiveContract(executor: Executor, organizationId: string, onDate: string, options: { forUpdate?: boolean } = {}): Promise<Contract | undefined> {
  let query = executor
    .selectFrom('contracts')
    .select(contractColumns)
    .where('organization_id', '=', organizationId)
    .where('starts_on', '<=', onDate)
    .where('ends_on', '>=', onDate)
    .orderBy('starts_on', 'desc')
    .orderBy('created_at', 'desc')
    .limit(1);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toContract(row) : undefined;
}

export async function listContractRows(executor: Executor, organizationId: string): Promise<Contract[]> {
  const rows = await executor.selectFrom('contracts').select(contractColumns).where('organization_id', '=', organizationId).orderBy('starts_on', 'desc').execute();
  return rows.map(toContract);
}
