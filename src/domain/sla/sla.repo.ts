/**
 * SQL of the SLA context, part 2: clocks and notices (this context's tables) and the queue and
 * reporting queries over them. Case histories are read in sla-history.repo.ts.
 */
import { sql, type RawBuilder } from 'kysely';
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
    computed_at: record.computedAt,
  };
}

/**
 * A stored clock: its key, the thresholds already noticed and the row as read (`values`: after the
 * key and the notices, its compared columns as stored, in the order of COMPARED; instants as epoch
 * seconds), so that a recomputation sends only the clocks whose values change.
 */
export type StoredClock = { id: string; ticketId: string; kind: SlaClockKind; cycle: number; notices: ReadonlySet<number>; values: StoredClockRow };
const NO_NOTICES: ReadonlySet<number> = new Set();
type StoredValue = string | number | boolean | null;
/** The stored clocks of some cases, by case id (a case has a handful: no composite string keys to build and hash). */
export type StoredClocks = Map<string, StoredClock[]>;

/** The stored clock of a case with this kind and cycle, if any. */
export function storedClockOf(stored: StoredClocks, ticketId: string, kind: SlaClockKind, cycle: number): StoredClock | undefined {
  return stored.get(ticketId)?.find((clock) => clock.kind === kind && clock.cycle === cycle);
}

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

/**
 * The stored clocks of the cases (by case) with the thresholds already noticed, read as ONE json
 * value ([id, ticket, kind, cycle, noticed thresholds] per clock): one JSON.parse instead of a
 * driver row object per clock.
 */
export async function loadStoredClocks(executor: Executor, ticketIds: readonly string[]): Promise<StoredClocks> {
  if (ticketIds.length === 0) return new Map();
  const found = await sql<{ clocks: StoredClockRow[] | null }>`select ${storedClocksJson(uuidArray([...new Set(ticketIds)]))} as clocks`.execute(executor);
  return toStoredClocks(found.rows[0]?.clocks ?? null);
}

/** One stored clock as read: id, case, kind, cycle, noticed thresholds (an array, maybe empty), then the COMPARED columns. */
export type StoredClockRow = [id: string, ticketId: string, kind: SlaClockKind, cycle: number, notices: number[] | null, ...values: StoredValue[]];

/**
 * The stored clocks of the cases with their noticed thresholds and compared columns as ONE json
 * value (a scalar subquery, so a caller can read it in the same statement as something else).
 * Instants are read as `date_part('epoch', …)`: seconds as a double, which PostgreSQL computes as
 * (microseconds since 1970) / 1e6 with one correctly rounded division, and prints exactly (shortest
 * round-trip form). For an instant on a whole millisecond that is the very double JavaScript gets
 * from `ms / 1000` (the same real number, rounded once), so `isUnchanged` compares them with ===;
 * two instants a microsecond or more apart give different doubles (until the year 2242), so a
 * stored value finer than a millisecond never passes for the computed one. Cheaper than the exact
 * numeric `extract(epoch …)`, and fewer bytes to send and parse.
 */
export function storedClocksJson(ids: RawBuilder<unknown>) {
  const values = COMPARED_COLUMNS.map(([column, type]) => (type === 'timestamptz' ? `date_part('epoch', c.${column})` : `c.${column}`)).join(', ');
  return sql<StoredClockRow[] | null>`(select json_agg(json_build_array(c.id, c.ticket_id, c.kind, c.cycle, array(select n.threshold from sla_notices n where n.clock_id = c.id), ${sql.raw(values)}))
    from sla_clocks c where c.ticket_id = any(${ids}))`;
}

/** The stored clocks read by `storedClocksJson`, by case. */
export function toStoredClocks(rows: StoredClockRow[] | null): StoredClocks {
  const result: StoredClocks = new Map();
  for (const row of rows ?? []) {
    const [id, ticketId, kind, cycle, notices] = row;
    const clock: StoredClock = { id, ticketId, kind, cycle, notices: notices && notices.length > 0 ? new Set(notices) : NO_NOTICES, values: row };
    const clocks = result.get(ticketId);
    if (clocks) clocks.push(clock);
    else result.set(ticketId, [clock]);
  }
  return result;
}

/** A computed clock to store: the stored row's id when there is one, the timer's planned check, when it was computed. */
export type ClockWrite = { id?: string; ticketId: string; clock: SlaClock; nextCheckAt: Date | null; computedAt: Date };
type Cell = string | number | boolean | Date | null | undefined;
/** A written column: its name, SQL type and value in a write. */
type Column = readonly [name: string, type: 'uuid' | 'text' | 'integer' | 'timestamptz' | 'boolean', value: (write: ClockWrite) => Cell];

/**
 * The columns a recomputation writes. A batch travels as one array parameter per column, read
 * back row by row with `unnest` (plain arrays are the cheapest thing for both sides to build and
 * parse); instants travel as epoch milliseconds (exact, cheap to format) and become timestamptz
 * in SQL.
 */
const WRITTEN: readonly Column[] = [
  ['state', 'text', (write) => write.clock.state],
  ['target_seconds', 'integer', (write) => write.clock.targetSeconds],
  ['started_at', 'timestamptz', (write) => write.clock.startedAt],
  ['due_at', 'timestamptz', (write) => write.clock.dueAt],
  ['stopped_at', 'timestamptz', (write) => write.clock.stoppedAt],
  ['business_seconds', 'integer', (write) => write.clock.businessSeconds],
  ['is_breached', 'boolean', (write) => write.clock.isBreached],
  ['next_check_at', 'timestamptz', (write) => write.nextCheckAt],
  ['computed_at', 'timestamptz', (write) => write.computedAt],
];
const BY_ID: readonly Column[] = [['id', 'uuid', (write) => write.id], ...WRITTEN];
const BY_KEY: readonly Column[] = [['ticket_id', 'uuid', (write) => write.ticketId], ['kind', 'text', (write) => write.clock.kind], ['cycle', 'integer', (write) => write.clock.cycle], ...WRITTEN];
const COLUMNS = WRITTEN.map(([column]) => column);
/** Compared to tell whether a row changes (all written columns but computed_at). */
const COMPARED_COLUMNS = WRITTEN.filter(([column]) => column !== 'computed_at');
const COMPARED = COMPARED_COLUMNS.map(([column]) => column);

/**
 * True when storing this computed clock would change nothing in its stored row: every compared
 * column, as it would be written (instants to the millisecond, integers truncated), equals the
 * stored value. The UPDATE keeps its own `is distinct from` test; this only spares sending,
 * looking up and comparing the rows a recomputation leaves as they are (most of them).
 */
export function isUnchanged(stored: StoredClock, write: ClockWrite): boolean {
  // Spelled out column by column (this runs for every clock of a bulk recomputation); the order is COMPARED's.
  const [, , , , , state, targetSeconds, startedAt, dueAt, stoppedAt, businessSeconds, isBreached, nextCheckAt] = stored.values;
  const { clock } = write;
  return (
    state === clock.state &&
    targetSeconds === Math.trunc(clock.targetSeconds) &&
    sameInstant(startedAt, clock.startedAt) &&
    sameInstant(dueAt, clock.dueAt) &&
    sameInstant(stoppedAt, clock.stoppedAt) &&
    businessSeconds === Math.trunc(clock.businessSeconds) &&
    isBreached === clock.isBreached &&
    sameInstant(nextCheckAt, write.nextCheckAt)
  );
}
/** A stored instant (epoch seconds, see storedClocksJson) equals the computed one, to the microsecond. */
const sameInstant = (stored: StoredValue | undefined, computed: Date | null | undefined) => (computed === null || computed === undefined ? stored === null : stored === computed.getTime() / 1000);
if (COMPARED.join() !== 'state,target_seconds,started_at,due_at,stopped_at,business_seconds,is_breached,next_check_at') throw new Error('isUnchanged compares the columns in another order than COMPARED');
const WRITE_CHUNK = 5000;

/**
 * One column of a batch as a PostgreSQL array literal, passed as a text parameter (PostgreSQL and
 * PGlite read it alike). Instants become epoch milliseconds; uuids are checked; text is quoted.
 */
function arrayLiteral([, type, value]: Column, writes: readonly ClockWrite[]): string {
  let literal = '{';
  for (let index = 0; index < writes.length; index++) {
    const cell = value(writes[index]!);
    if (index > 0) literal += ',';
    if (cell === null || cell === undefined) literal += 'NULL';
    else if (type === 'timestamptz') literal += (cell as Date).getTime();
    else if (type === 'boolean') literal += cell ? 't' : 'f';
    else if (type === 'integer') literal += Math.trunc(cell as number);
    else if (type === 'uuid') {
      if (!UUID.test(cell as string)) throw new RangeError(`not a uuid: ${JSON.stringify(cell)}`);
      literal += cell as string;
    } else literal += `"${String(cell).replace(/["\\]/g, '\\$&')}"`;
  }
  return `${literal}}`;
}

const columnList = (prefix: string, columns: readonly string[]) => sql.raw(columns.map((column) => `${prefix}${column}`).join(', '));
const changedRow = (table: string, from: string) => sql<boolean>`(${columnList(`${table}.`, COMPARED)}) is distinct from (${columnList(`${from}.`, COMPARED)})`;

/** `(select <columns> from unnest(<one array per column>))`, instants converted back from epoch milliseconds. */
function unnested(writes: readonly ClockWrite[], columns: readonly Column[]) {
  const arrays = columns.map((column) => sql`${arrayLiteral(column, writes)}::${sql.raw(column[1] === 'timestamptz' ? 'bigint' : column[1])}[]`);
  const values = columns
    .map(([column, type]) => (type === 'timestamptz' ? `timestamptz 'epoch' + r.${column} * interval '1 millisecond' as ${column}` : `r.${column}`))
    .join(', ');
  return sql`(select ${sql.raw(values)} from unnest(${sql.join(arrays)}) as r (${columnList('', columns.map(([column]) => column))}))`;
}

/**
 * Writes computed clocks set-based: the clocks already stored (`id` known) with one
 * `UPDATE … FROM unnest(arrays)` per chunk, new ones with one `INSERT … SELECT … ON CONFLICT
 * (ticket, kind, cycle) DO UPDATE` per chunk. A row that would not change is left alone (its
 * computed_at too), so a recomputation with nothing new writes nothing. Returns the number of
 * rows inserted or changed.
 */
export async function writeClocks(executor: Executor, writes: readonly ClockWrite[]): Promise<number> {
  const stored = writes.filter((write) => write.id !== undefined);
  const fresh = writes.filter((write) => write.id === undefined);
  let written = 0;
  for (let index = 0; index < stored.length; index += WRITE_CHUNK) {
    const result = await sql`update sla_clocks as c set ${sql.raw(COLUMNS.map((column) => `${column} = v.${column}`).join(', '))}
      from ${unnested(stored.slice(index, index + WRITE_CHUNK), BY_ID)} as v
      where c.id = v.id and ${changedRow('c', 'v')}`.execute(executor);
    written += Number(result.numAffectedRows ?? 0);
  }
  for (let index = 0; index < fresh.length; index += WRITE_CHUNK) {
    const result = await sql`insert into sla_clocks (ticket_id, kind, cycle, ${columnList('', COLUMNS)})
      select v.ticket_id, v.kind, v.cycle, ${columnList('v.', COLUMNS)} from ${unnested(fresh.slice(index, index + WRITE_CHUNK), BY_KEY)} as v
      on conflict (ticket_id, kind, cycle) do update set ${sql.raw(COLUMNS.map((column) => `${column} = excluded.${column}`).join(', '))}
      where ${changedRow('sla_clocks', 'excluded')}`.execute(executor);
    written += Number(result.numAffectedRows ?? 0);
  }
  return written;
}

/**
 * Sets `tickets.sla_due_at` from the stored clocks (the earliest due time of the running or breached
 * ones) of the given cases, or of every case that has clocks: for loaders that write clocks without
 * a recomputation (the benchmark's bulk load, tests). The recomputation writes it itself, from the
 * clocks it computes. Returns the number of cases changed.
 */
export async function deriveCaseSlaDue(executor: Executor, ticketIds?: readonly string[]): Promise<number> {
  const result = await sql`
    update tickets t set sla_due_at = d.due_at
    from (select ticket_id, min(due_at) filter (where state in ('running', 'breached')) as due_at from sla_clocks
          ${ticketIds ? sql`where ticket_id = any(${uuidArray(ticketIds)})` : sql``} group by ticket_id) d
    where t.id = d.ticket_id and t.sla_due_at is distinct from d.due_at`.execute(executor);
  return Number(result.numAffectedRows ?? 0);
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

// Case selection for bulk recomputation and simulation.

/**
 * A page of cases in case-number order (keyset on `number`, after `afterNumber`). Numbers follow
 * creation, so a page holds cases created together, whose rows (case, first history rows, clocks)
 * were written together and share table pages: a batch touches far fewer pages than a page of
 * random ids would.
 */
export async function listCaseIds(
  executor: Executor,
  filter: { planIds?: readonly string[]; openOnly: boolean; since?: Date; afterNumber?: number; limit: number },
): Promise<Array<{ id: string; number: number }>> {
  let query = executor.selectFrom('tickets').select(['id', 'number']).where('plan_id', 'is not', null).orderBy('number').limit(filter.limit);
  if (filter.planIds) query = query.where('plan_id', 'in', filter.planIds.length ? [...filter.planIds] : ['00000000-0000-0000-0000-000000000000']);
  if (filter.openOnly) query = query.where('is_open', '=', true);
  if (filter.since) query = query.where('created_at', '>=', filter.since);
  if (filter.afterNumber !== undefined) query = query.where('number', '>', filter.afterNumber);
  return query.execute();
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
