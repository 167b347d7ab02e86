/**
 * SQL of the SLA context, part 1: the history of cases, read (never written) from the tickets,
 * audit_events, messages and users tables, and the case-row lock and plan a recomputation sets.
 * Clocks, notices and queries over them are in sla.repo.ts.
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import { storedClocksJson, toStoredClocks, uuidArray, type StoredClockRow, type StoredClocks } from './sla.repo.ts';
import { SLA_PRIORITIES, type CaseEvent, type SlaPriority } from './sla.types.ts';

export type SlaCase = {
  id: string;
  number: number;
  organizationId: string;
  requesterId: string;
  assigneeId: string | null;
  teamId: string | null;
  priority: SlaPriority;
  status: string;
  planId: string | null;
  isOpen: boolean;
  createdAt: Date;
};

/** What a recomputation reads of a case row: the fields the policy and the clocks depend on. */
export type SlaCaseCore = Pick<SlaCase, 'id' | 'organizationId' | 'priority' | 'status' | 'planId' | 'createdAt'>;

/** The policy the case was last given by the SLA context (audit `sla.policy-applied`/`-changed`). */
export type AppliedPolicy = { planId: string | null; organizationId: string };
export type CaseHistory<Case extends SlaCaseCore = SlaCase> = { ticket: Case; events: CaseEvent[]; appliedPolicy: AppliedPolicy | null };

const POLICY_ACTIONS = ['sla.policy-applied', 'sla.policy-changed'];
/** One history row as read: ticket id, action, created_at in epoch milliseconds, changes, and for a public reply the kind of its author. */
type AuditRow = [ticketId: string, action: string, epochMs: number, changes: unknown, replyAuthorKind: string | null];
const isPriority = (value: unknown): value is SlaPriority => typeof value === 'string' && (SLA_PRIORITIES as readonly string[]).includes(value);
const afterOf = (change: unknown): unknown => (change && typeof change === 'object' && 'after' in change ? (change as { after: unknown }).after : undefined);
/** Same instant: creation first, then status and priority changes, then replies (a reply that reopens comes after the reopen). */
const RANK: Record<CaseEvent['type'], number> = { created: 0, status: 1, priority: 1, 'agent-public-reply': 2, 'customer-public-reply': 2 };

const byTimeThenRank = (a: CaseEvent, b: CaseEvent) => a.at.getTime() - b.at.getTime() || RANK[a.type] - RANK[b.type];
const NO_ROWS: AuditRow[] = [];

/** A case row as read: id, number, organisation, requester, assignee, team, priority, status, plan, open, created_at in epoch ms. */
type TicketRow = [string, number, string, string, string | null, string | null, string, string, string | null, boolean, number];
/** A case row as a recomputation reads it: id, organisation, priority, status, plan, created_at and sla_due_at in epoch ms. */
type CoreTicketRow = [string, string, string, string, string | null, number, number | null];

/**
 * Cases with their history, for clock computation; missing ids are absent from the map. Two
 * statements whatever the number of cases, the ids travelling as one array parameter and the rows
 * coming back as JSON values (one JSON.parse each instead of a driver row object and date parses
 * per row): the case rows, then their history (audit rows in id order, each public reply with the
 * kind of its author). With `lock`, the case rows are read FOR NO KEY UPDATE (in id order) first,
 * as lockCases does, so the history statement sees every change committed before the lock.
 */
export async function loadCaseHistories(executor: Executor, ticketIds: readonly string[], options: { lock?: boolean } = {}): Promise<Map<string, CaseHistory>> {
  if (ticketIds.length === 0) return new Map();
  const ids = uuidArray([...new Set(ticketIds)]);
  const found = await sql<{ tickets: TicketRow[] | null }>`
    select json_agg(json_build_array(t.id, t.number, t.organization_id, t.requester_id, t.assignee_id, t.team_id, t.priority, t.status, t.plan_id, t.is_open, floor(extract(epoch from t.created_at) * 1000))) as tickets
    from (select id, number, organization_id, requester_id, assignee_id, team_id, priority, status, plan_id, is_open, created_at
          from tickets where id = any(${ids}) order by id ${sql.raw(options.lock ? 'for no key update' : '')}) t`.execute(executor);
  const tickets = (found.rows[0]?.tickets ?? []).map(
    ([id, number, organizationId, requesterId, assigneeId, teamId, priority, status, planId, isOpen, createdAt]): SlaCase => ({
      id, number, organizationId, requesterId, assigneeId, teamId, priority: priority as SlaPriority, status, planId, isOpen, createdAt: new Date(createdAt),
    }),
  );
  return (await readHistories(executor, ids, tickets, false)).histories;
}

/**
 * A batch to recompute: the case rows locked (FOR NO KEY UPDATE, in id order) and read (only the
 * fields a recomputation uses, and the stored earliest due time of their ticking clocks), then in
 * ONE more statement their histories and their stored clocks (with the thresholds noticed).
 */
export async function loadCaseBatch(
  executor: Executor,
  ticketIds: readonly string[],
): Promise<{ histories: Map<string, CaseHistory<SlaCaseCore>>; stored: StoredClocks; slaDue: Map<string, number | null> }> {
  const slaDue = new Map<string, number | null>();
  if (ticketIds.length === 0) return { histories: new Map(), stored: new Map(), slaDue };
  const ids = uuidArray([...new Set(ticketIds)]);
  const found = await sql<{ tickets: CoreTicketRow[] | null }>`
    select json_agg(json_build_array(t.id, t.organization_id, t.priority, t.status, t.plan_id, floor(extract(epoch from t.created_at) * 1000), floor(extract(epoch from t.sla_due_at) * 1000))) as tickets
    from (select id, organization_id, priority, status, plan_id, created_at, sla_due_at from tickets where id = any(${ids}) order by id for no key update) t`.execute(executor);
  const tickets = (found.rows[0]?.tickets ?? []).map(([id, organizationId, priority, status, planId, createdAt, dueAt]): SlaCaseCore => {
    slaDue.set(id, dueAt);
    return { id, organizationId, priority: priority as SlaPriority, status, planId, createdAt: new Date(createdAt) };
  });
  return { ...(await readHistories(executor, ids, tickets, true)), slaDue };
}

/** The histories of the cases read (and their stored clocks, `withClocks`), in one statement. */
async function readHistories<Case extends SlaCaseCore>(
  executor: Executor,
  ids: ReturnType<typeof uuidArray>,
  tickets: readonly Case[],
  withClocks: boolean,
): Promise<{ histories: Map<string, CaseHistory<Case>>; stored: StoredClocks }> {
  const result = new Map<string, CaseHistory<Case>>();
  if (tickets.length === 0) return { histories: result, stored: new Map() };
  // The author of a reply is read through the message's primary key, row by row, rather than by
  // scanning the cases' messages: a plan that holds whatever the tables' statistics say.
  const historyResult = await sql<{ audits: AuditRow[] | null; clocks: StoredClockRow[] | null }>`
    select
      (select json_agg(json_build_array(a.ticket_id, a.action, floor(extract(epoch from a.created_at) * 1000), a.changes,
                 case when a.action = 'reply.added' then
                   (select u.kind from messages m join users u on u.id = m.author_id where m.id = (a.changes ->> 'messageId')::uuid and not m.is_internal)
                 end) order by a.id)
       from audit_events a
       where a.ticket_id = any(${ids})
         and (a.action in ('ticket.created', 'reply.added', 'sla.policy-applied', 'sla.policy-changed') or a.changes -> 'status' is not null or a.changes -> 'priority' is not null)) as audits,
      ${withClocks ? storedClocksJson(ids) : sql`null`} as clocks`.execute(executor);
  const audits = historyResult.rows[0]?.audits ?? [];

  const byTicket = new Map<string, AuditRow[]>();
  for (const row of audits) {
    const list = byTicket.get(row[0]);
    if (list) list.push(row);
    else byTicket.set(row[0], [row]);
  }
  for (const ticket of tickets) {
    const id = ticket.id;
    // The events after the creation, pushed in audit order.
    const events: CaseEvent[] = [];
    let initial: { status?: string; priority?: SlaPriority } | undefined;
    let appliedPolicy: AppliedPolicy | null = null;
    let firstStatus: { before?: string } | undefined;
    let firstPriority: { before?: SlaPriority } | undefined;
    for (const [, action, epochMs, changed, replyAuthorKind] of byTicket.get(id) ?? NO_ROWS) {
      const changes = (changed ?? {}) as Record<string, unknown>;
      // Without a creation row (imported cases), the first recorded change tells the initial values.
      if (firstStatus === undefined && afterOf(changes.status) !== undefined) firstStatus = changes.status as { before?: string };
      if (firstPriority === undefined && afterOf(changes.priority) !== undefined) firstPriority = changes.priority as { before?: SlaPriority };
      if (action === 'ticket.created') {
        initial = { status: typeof changes.status === 'string' ? changes.status : undefined, priority: isPriority(changes.priority) ? changes.priority : undefined };
        continue;
      }
      if (POLICY_ACTIONS.includes(action)) {
        appliedPolicy = { planId: typeof changes.planId === 'string' ? changes.planId : null, organizationId: String(changes.organizationId ?? ticket.organizationId) };
        continue;
      }
      const at = new Date(epochMs);
      const status = afterOf(changes.status);
      if (typeof status === 'string') events.push({ at, type: 'status', status });
      const priority = afterOf(changes.priority);
      if (isPriority(priority)) events.push({ at, type: 'priority', priority });
      if (action === 'reply.added' && changes.internal !== true) {
        if (replyAuthorKind === 'agent') events.push({ at, type: 'agent-public-reply' });
        if (replyAuthorKind === 'contact') events.push({ at, type: 'customer-public-reply' });
      }
    }
    // By time, then rank; the sort is stable, so events of the same instant and rank keep their audit order.
    if (events.length > 1) events.sort(byTimeThenRank);
    events.unshift({
      at: ticket.createdAt,
      type: 'created',
      status: initial?.status ?? firstStatus?.before ?? ticket.status,
      priority: initial?.priority ?? firstPriority?.before ?? ticket.priority,
    });
    result.set(id, { ticket, events, appliedPolicy });
  }
  return { histories: result, stored: toStoredClocks(historyResult.rows[0]?.clocks ?? null) };
}

/** Serialises recomputations of the same cases with the ticket use cases (which lock the row too). */
export async function lockCases(executor: Executor, ticketIds: readonly string[]): Promise<void> {
  if (ticketIds.length === 0) return;
  await executor.selectFrom('tickets').select('id').where(sql<boolean>`id = any(${uuidArray([...ticketIds])})`).orderBy('id').forNoKeyUpdate().execute();
}

/** What a recomputation changes on a case row: its plan, the earliest due time of its running or breached clocks (`slaDueAt`), or both. */
export type CaseSlaChange = { ticketId: string; planId?: string | null; slaDueAt?: Date | null };

/** Sets the plan and/or the SLA due time of several cases in one statement (a field left undefined is kept). */
export async function writeCaseSla(executor: Executor, changes: readonly CaseSlaChange[]): Promise<void> {
  if (changes.length === 0) return;
  const rows = JSON.stringify(
    changes.map((change) => ({
      id: change.ticketId,
      set_plan: change.planId !== undefined,
      plan_id: change.planId ?? null,
      set_due: change.slaDueAt !== undefined,
      sla_due_at: change.slaDueAt?.toISOString() ?? null,
    })),
  );
  await sql`
    update tickets
    set plan_id = case when c.set_plan then c.plan_id else tickets.plan_id end,
        sla_due_at = case when c.set_due then c.sla_due_at else tickets.sla_due_at end
    from jsonb_to_recordset(${rows}::jsonb) as c(id uuid, set_plan boolean, plan_id uuid, set_due boolean, sla_due_at timestamptz)
    where tickets.id = c.id`.execute(executor);
}
