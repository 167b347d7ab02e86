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

/**
 * A list of ids as ONE array parameter (`= any(...)`): one bind however many ids, and a plan that
 * does not change with the list length. Passed as an array literal in text so that PostgreSQL and
 * PGlite read it alike; anything but a uuid is refused before it reaches the database.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function uuidArray(ids: readonly string[]) {
  for (const id of ids) if (!UUID.test(id)) throw new RangeError(`not a uuid: ${JSON.stringify(id)}`);
  return sql`${`{${ids.join(',')}}`}::uuid[]`;
}

/** The stored clocks of the cases (by ticket/kind/cycle) with the thresholds already noticed. */
export async function loadStoredClocks(executor: Executor, ticketIds: readonly string[]): Promise<Map<string, StoredClock>> {
  const result = new Map<string, StoredClock>();
  if (ticketIds.length === 0) return result;
  const rows = await sql<{ id: string; ticket_id: string; kind: SlaClockKind; cycle: number; notices: string | null }>`
    select c.id, c.ticket_id, c.kind, c.cycle, (select string_agg(n.threshold::text, ',') from sla_notices n where n.clock_id = c.id) as notices
    from sla_clocks c where c.ticket_id = any(${uuidArray([...new Set(ticketIds)])})`.execute(executor);
  for (const row of rows.rows) {
    const notices = new Set(row.notices ? row.notices.split(',').map(Number) : []);
    result.set(clockKey(row.ticket_id, row.kind, row.cycle), { id: row.id, ticketId: row.ticket_id, kind: row.kind, cycle: row.cycle, notices });
  }
  return result;
}

/**
 * The columns a recomputation writes, with their type. The batch travels as one JSON array read by
 * `jsonb_to_recordset`; instants travel as epoch milliseconds (exact, and much cheaper to
 * serialise than ISO strings) and become timestamptz in SQL.
 */
const WRITTEN = [
  ['state', 'text'],
  ['target_seconds', 'integer'],
  ['started_at', 'timestamptz'],
  ['due_at', 'timestamptz'],
  ['stopped_at', 'timestamptz'],
  ['business_seconds', 'integer'],
  ['is_breached', 'boolean'],
  ['next_check_at', 'timestamptz'],
  ['explanation', 'jsonb'],
  ['computed_at', 'timestamptz'],
] as const;
const COLUMNS = WRITTEN.map(([column]) => column);
/** Compared to tell whether a row changes (all written columns but computed_at). */
const COMPARED = COLUMNS.filter((column) => column !== 'computed_at');
const WRITE_CHUNK = 5000;

const epochMs = (at: Date | null) => (at === null ? null : at.getTime());

/** A computed clock to store: the stored row's id when there is one, the timer's planned check, when it was computed. */
export type ClockWrite = { id?: string; ticketId: string; clock: SlaClock; nextCheckAt: Date | null; computedAt: Date };

/** The JSON row of a write: keyed by the stored row's id, or by (ticket, kind, cycle) for a new clock. */
function writtenRow(write: ClockWrite, key: 'id' | 'natural') {
  const { clock } = write;
  return {
    id: key === 'id' ? write.id : undefined,
    ticket_id: key === 'natural' ? write.ticketId : undefined,
    kind: key === 'natural' ? clock.kind : undefined,
    cycle: key === 'natural' ? clock.cycle : undefined,
    state: clock.state,
    target_seconds: clock.targetSeconds,
    started_at: epochMs(clock.startedAt),
    due_at: epochMs(clock.dueAt),
    stopped_at: epochMs(clock.stoppedAt),
    business_seconds: clock.businessSeconds,
    is_breached: clock.isBreached,
    next_check_at: epochMs(write.nextCheckAt),
    explanation: clock.explanation,
    computed_at: epochMs(write.computedAt),
  };
}

const columnList = (prefix: string, columns: readonly string[]) => sql.raw(columns.map((column) => `${prefix}${column}`).join(', '));
const changedRow = (table: string, from: string) => sql<boolean>`(${columnList(`${table}.`, COMPARED)}) is distinct from (${columnList(`${from}.`, COMPARED)})`;

/** `select <keys>, <written columns> from jsonb_to_recordset(rows)`, instants converted back from epoch milliseconds. */
function recordset(rows: readonly object[], keys: ReadonlyArray<readonly [string, string]>) {
  const read = [...keys, ...WRITTEN].map(([column, type]) => `${column} ${type === 'timestamptz' ? 'bigint' : type}`).join(', ');
  const values = [...keys, ...WRITTEN]
    .map(([column, type]) => (type === 'timestamptz' ? `timestamptz 'epoch' + r.${column} * interval '1 millisecond' as ${column}` : `r.${column}`))
    .join(', ');
  return sql`(select ${sql.raw(values)} from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r (${sql.raw(read)}))`;
}

/**
 * Writes computed clocks set-based: the clocks already stored (`id` known) with one
 * `UPDATE … FROM jsonb_to_recordset(batch)` per chunk, new ones with one `INSERT … SELECT … ON
 * CONFLICT (ticket, kind, cycle) DO UPDATE` per chunk. A row that would not change is left alone
 * (its computed_at too), so a recomputation with nothing new writes nothing. Returns the number of
 * rows inserted or changed.
 */
export async function writeClocks(executor: Executor, writes: readonly ClockWrite[]): Promise<number> {
  const stored = writes.filter((write) => write.id !== undefined);
  const fresh = writes.filter((write) => write.id === undefined);
  let written = 0;
  for (let index = 0; index < stored.length; index += WRITE_CHUNK) {
    const rows = stored.slice(index, index + WRITE_CHUNK).map((write) => writtenRow(write, 'id'));
    const result = await sql`update sla_clocks as c set ${sql.raw(COLUMNS.map((column) => `${column} = v.${column}`).join(', '))}
      from ${recordset(rows, [['id', 'uuid']])} as v
      where c.id = v.id and ${changedRow('c', 'v')}`.execute(executor);
    written += Number(result.numAffectedRows ?? 0);
  }
  for (let index = 0; index < fresh.length; index += WRITE_CHUNK) {
    const rows = fresh.slice(index, index + WRITE_CHUNK).map((write) => writtenRow(write, 'natural'));
    const keys = [['ticket_id', 'uuid'], ['kind', 'text'], ['cycle', 'integer']] as const;
    const result = await sql`insert into sla_clocks (ticket_id, kind, cycle, ${columnList('', COLUMNS)})
      select v.ticket_id, v.kind, v.cycle, ${columnList('v.', COLUMNS)} from ${recordset(rows, keys)} as v
      on conflict (ticket_id, kind, cycle) do update set ${sql.raw(COLUMNS.map((column) => `${column} = excluded.${column}`).join(', '))}
      where ${changedRow('sla_clocks', 'excluded')}`.execute(executor);
    written += Number(result.numAffectedRows ?? 0);
  }
  return written;
}

/**
 * For a transaction that looks rows up by lists of a thousand ids or more: index lookups only.
 * With such a list the planner tends to scan the whole table (in parallel workers, even), which
 * makes every batch of a bulk recomputation cost as much as the table and the run quadratic.
 */
export async function preferIndexLookups(executor: Executor): Promise<void> {
  await sql`select set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`.execute(executor);
}

/** Removes stored clocks by id (a case that lost its plan, next-response cycles beyond the last). */
export async function deleteClocks(executor: Executor, clockIds: readonly string[]): Promise<number> {
  if (clockIds.length === 0) return 0;
  const result = await sql`delete from sla_clocks where id = any(${uuidArray(clockIds)})`.execute(executor);
  return Number(result.numAffectedRows ?? 0);
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
