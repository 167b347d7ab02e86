/**
 * SQL of the SLA context, part 2: clocks and notices (this context's tables) and the queue and
 * reporting queries over them. Case histories are read in sla-history.repo.ts.
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { SlaClock, SlaClockKind } from './sla.types.ts';

/** A computed clock as stored: its case, the timer's planned check and when it was computed. */
export type ClockRecord = Omit<SlaClock, 'checkpoints'> & { ticketId: string; computedAt: Date };

/** The columns of a clock row that a recomputation sets (all but the key). */
function clockColumns(record: ClockRecord) {
  return {
    state: record.state,
    target_seconds: record.targetSeconds,
    started_at: record.startedAt,
    due_at: record.dueAt,
    stopped_at: record.stoppedAt,
    business_seconds: record.businessSeconds,
    is_breached: record.isBreached,
    next_check_at: record.nextCheckAt,
    explanation: JSON.stringify(record.explanation),
    computed_at: record.computedAt,
  };
}

export type StoredClock = { id: string; ticketId: string; kind: SlaClockKind; cycle: number; notices: Set<number> };
export const clockKey = (ticketId: string, kind: string, cycle: number) => `${ticketId}/${kind}/${cycle}`;

/** The stored clocks of the cases (by ticket/kind/cycle) with the thresholds already noticed. */
export async function loadStoredClocks(executor: Executor, ticketIds: readonly string[]): Promise<Map<string, StoredClock>> {
  const result = new Map<string, StoredClock>();
  if (ticketIds.length === 0) return result;
  const rows = await executor.selectFrom('sla_clocks').select(['id', 'ticket_id', 'kind', 'cycle']).where('ticket_id', 'in', [...ticketIds]).execute();
  if (rows.length === 0) return result;
  const notices = await executor.selectFrom('sla_notices').select(['clock_id', 'threshold']).where('clock_id', 'in', rows.map((row) => row.id)).execute();
  const byId = new Map<string, StoredClock>();
  for (const row of rows) {
    const clock: StoredClock = { id: row.id, ticketId: row.ticket_id, kind: row.kind, cycle: row.cycle, notices: new Set() };
    byId.set(row.id, clock);
    result.set(clockKey(row.ticket_id, row.kind, row.cycle), clock);
  }
  for (const notice of notices) byId.get(notice.clock_id)?.notices.add(notice.threshold);
  return result;
}

const WRITE_CHUNK = 500;
const COMPARED = ['state', 'target_seconds', 'started_at', 'due_at', 'stopped_at', 'business_seconds', 'is_breached', 'next_check_at', 'explanation'] as const;

/**
 * Upserts clocks on (ticket, kind, cycle); a row that would not change is left alone (so a
 * recomputation with nothing new writes nothing). Returns the number of rows inserted or changed.
 */
export async function upsertClocks(executor: Executor, records: readonly ClockRecord[]): Promise<number> {
  let written = 0;
  for (let index = 0; index < records.length; index += WRITE_CHUNK) {
    const chunk = records.slice(index, index + WRITE_CHUNK);
    const rows = await executor
      .insertInto('sla_clocks')
      .values(
        chunk.map((record) => ({ ticket_id: record.ticketId, kind: record.kind, cycle: record.cycle, ...clockColumns(record) })),
      )
      .onConflict((conflict) =>
        conflict
          .columns(['ticket_id', 'kind', 'cycle'])
          .doUpdateSet((eb) => ({
            ...Object.fromEntries(COMPARED.map((column) => [column, eb.ref(`excluded.${column}`)])),
            computed_at: eb.ref('excluded.computed_at'),
          }))
          .where(sql<boolean>`(${sql.join(COMPARED.map((column) => sql.ref(`sla_clocks.${column}`)))}) is distinct from (${sql.join(COMPARED.map((column) => sql.ref(`excluded.${column}`)))})`),
      )
      .returning('id')
      .execute();
    written += rows.length;
  }
  return written;
}

/** Removes the clocks a case no longer has: all of them (no plan), or next-response cycles beyond the last. */
export async function deleteStaleClocks(executor: Executor, keep: ReadonlyArray<{ ticketId: string; nextResponseCycles: number | null }>): Promise<number> {
  let removed = 0;
  const none = keep.filter((entry) => entry.nextResponseCycles === null).map((entry) => entry.ticketId);
  if (none.length) removed += Number((await executor.deleteFrom('sla_clocks').where('ticket_id', 'in', none).executeTakeFirst()).numDeletedRows ?? 0);
  const some = keep.filter((entry) => entry.nextResponseCycles !== null);
  for (let index = 0; index < some.length; index += WRITE_CHUNK) {
    const values = sql.join(some.slice(index, index + WRITE_CHUNK).map((entry) => sql`(${entry.ticketId}::uuid, ${entry.nextResponseCycles}::integer)`));
    const result = await sql`delete from sla_clocks c using (values ${values}) as k (ticket_id, cycles)
      where c.ticket_id = k.ticket_id and c.kind = 'next-response' and c.cycle > k.cycles`.execute(executor);
    removed += Number(result.numAffectedRows ?? 0);
  }
  return removed;
}

// The timer.

export type DueClock = { id: string; ticketId: string; kind: SlaClockKind; cycle: number };

/** Locks up to `limit` clocks whose next check has come; clocks locked by another timer are skipped. */
export async function claimDueClocks(executor: Executor, now: Date, limit: number): Promise<DueClock[]> {
  const rows = await executor
    .selectFrom('sla_clocks')
    .select(['id', 'ticket_id', 'kind', 'cycle'])
    .where('next_check_at', '<=', now)
    .orderBy('next_check_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((row) => ({ id: row.id, ticketId: row.ticket_id, kind: row.kind, cycle: row.cycle }));
}

export async function updateClock(executor: Executor, id: string, record: ClockRecord): Promise<void> {
  await executor.updateTable('sla_clocks').set(clockColumns(record)).where('id', '=', id).execute();
}

export async function postponeClockCheck(executor: Executor, id: string, nextCheckAt: Date | null): Promise<void> {
  await executor.updateTable('sla_clocks').set({ next_check_at: nextCheckAt }).where('id', '=', id).execute();
}

/** Records a notice; true only for the caller that created it (at most one per clock threshold). */
export async function insertNotice(executor: Executor, notice: { clockId: string; threshold: number; crossedAt: Date; isLate: boolean }): Promise<boolean> {
  const rows = await executor
    .insertInto('sla_notices')
    .values({ clock_id: notice.clockId, threshold: notice.threshold, crossed_at: notice.crossedAt, is_late: notice.isLate })
    .onConflict((conflict) => conflict.columns(['clock_id', 'threshold']).doNothing())
    .returning('clock_id')
    .execute();
  return rows.length === 1;
}

/** Who hears of a warning or breach: the assignee, the lead of the case team, the organisation's TAM. */
export async function findNoticeRecipients(executor: Executor, ticketId: string): Promise<{ assigneeId: string | null; teamLeadId: string | null; tamId: string | null }> {
  const row = await executor
    .selectFrom('tickets')
    .leftJoin('teams', 'teams.id', 'tickets.team_id')
    .innerJoin('organizations', 'organizations.id', 'tickets.organization_id')
    .select(['tickets.assignee_id', 'teams.lead_id', 'organizations.tam_id'])
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
  return { assigneeId: row?.assignee_id ?? null, teamLeadId: row?.lead_id ?? null, tamId: row?.tam_id ?? null };
}

// Case selection for bulk recomputation and simulation (keyset pages by id).

export async function listCaseIds(executor: Executor, filter: { planIds?: readonly string[]; openOnly: boolean; since?: Date; afterId?: string; limit: number }): Promise<string[]> {
  let query = executor.selectFrom('tickets').select('id').where('plan_id', 'is not', null).orderBy('id').limit(filter.limit);
  if (filter.planIds) query = query.where('plan_id', 'in', filter.planIds.length ? [...filter.planIds] : ['00000000-0000-0000-0000-000000000000']);
  if (filter.openOnly) query = query.where('is_open', '=', true);
  if (filter.since) query = query.where('created_at', '>=', filter.since);
  if (filter.afterId) query = query.where('id', '>', filter.afterId);
  return (await query.execute()).map((row) => row.id);
}

// Queue support and reporting.

export type BreachingSoon = { ticketId: string; number: number; kind: SlaClockKind; cycle: number; dueAt: Date; assigneeId: string | null };

/** Open cases whose running clock is due within `withinMinutes` of `now`, soonest first. */
export async function findCasesBreachingSoon(executor: Executor, options: { now: Date; withinMinutes: number; limit: number; assigneeId?: string }): Promise<BreachingSoon[]> {
  let query = executor
    .selectFrom('sla_clocks')
    .innerJoin('tickets', 'tickets.id', 'sla_clocks.ticket_id')
    .select(['sla_clocks.ticket_id', 'tickets.number', 'sla_clocks.kind', 'sla_clocks.cycle', 'sla_clocks.due_at', 'tickets.assignee_id'])
    .where('sla_clocks.state', '=', 'running')
    .where('sla_clocks.due_at', '>=', options.now)
    .where('sla_clocks.due_at', '<=', new Date(options.now.getTime() + options.withinMinutes * 60_000))
    .where('tickets.is_open', '=', true)
    .orderBy('sla_clocks.due_at')
    .limit(options.limit);
  if (options.assigneeId) query = query.where('tickets.assignee_id', '=', options.assigneeId);
  const rows = await query.execute();
  return rows.map((row) => ({ ticketId: row.ticket_id, number: row.number, kind: row.kind, cycle: row.cycle, dueAt: row.due_at!, assigneeId: row.assignee_id }));
}

export type PlanSlaMetrics = { cases: number; firstResponseBreaches: number; resolutionBreaches: number; nextResponseBreaches: number; averageFirstResponseSeconds: number | null; averageResolutionSeconds: number | null };

/** Breach counts and average business times over the stored clocks of a plan's cases (stopped clocks for averages). */
export async function planSlaMetrics(executor: Executor, filter: { planId: string; since?: Date }): Promise<PlanSlaMetrics> {
  const since = filter.since ?? new Date(0);
  const result = await sql<{ cases: string; fr_breaches: string; res_breaches: string; nr_breaches: string; fr_avg: string | null; res_avg: string | null }>`
    select count(distinct t.id) as cases,
           count(*) filter (where c.kind = 'first-response' and c.is_breached) as fr_breaches,
           count(*) filter (where c.kind = 'resolution' and c.is_breached) as res_breaches,
           count(*) filter (where c.kind = 'next-response' and c.is_breached) as nr_breaches,
           avg(c.business_seconds) filter (where c.kind = 'first-response' and c.state = 'met') as fr_avg,
           avg(c.business_seconds) filter (where c.kind = 'resolution' and c.state = 'met') as res_avg
    from tickets t join sla_clocks c on c.ticket_id = t.id
    where t.plan_id = ${filter.planId} and t.created_at >= ${since}`.execute(executor);
  const row = result.rows[0]!;
  const toNumber = (value: string | null) => (value === null ? null : Math.round(Number(value)));
  return {
    cases: Number(row.cases),
    firstResponseBreaches: Number(row.fr_breaches),
    resolutionBreaches: Number(row.res_breaches),
    nextResponseBreaches: Number(row.nr_breaches),
    averageFirstResponseSeconds: toNumber(row.fr_avg),
    averageResolutionSeconds: toNumber(row.res_avg),
  };
}
