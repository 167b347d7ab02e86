/**
 * SQL of the SLA context, part 1: the history of cases, read (never written) from the tickets,
 * audit_events, messages and users tables, and the case-row lock and plan a recomputation sets.
 * Clocks, notices and queries over them are in sla.repo.ts.
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import { uuidArray } from './sla.repo.ts';
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

/** The policy the case was last given by the SLA context (audit `sla.policy-applied`/`-changed`). */
export type AppliedPolicy = { planId: string | null; organizationId: string };
export type CaseHistory = { ticket: SlaCase; events: CaseEvent[]; appliedPolicy: AppliedPolicy | null };

const POLICY_ACTIONS = ['sla.policy-applied', 'sla.policy-changed'];
const isPriority = (value: unknown): value is SlaPriority => typeof value === 'string' && (SLA_PRIORITIES as readonly string[]).includes(value);
const afterOf = (change: unknown): unknown => (change && typeof change === 'object' && 'after' in change ? (change as { after: unknown }).after : undefined);
/** Same instant: creation first, then status and priority changes, then replies (a reply that reopens comes after the reopen). */
const RANK: Record<CaseEvent['type'], number> = { created: 0, status: 1, priority: 1, 'agent-public-reply': 2, 'customer-public-reply': 2 };

/**
 * Cases with their history, for clock computation; missing ids are absent from the map. Three
 * queries whatever the number of cases (the ids travel as one array parameter). With `lock`, the
 * case rows are read FOR NO KEY UPDATE (in id order) before the history is read, as lockCases does.
 */
export async function loadCaseHistories(executor: Executor, ticketIds: readonly string[], options: { lock?: boolean } = {}): Promise<Map<string, CaseHistory>> {
  const result = new Map<string, CaseHistory>();
  if (ticketIds.length === 0) return result;
  const ids = uuidArray([...new Set(ticketIds)]);
  let ticketQuery = executor
    .selectFrom('tickets')
    .select(['id', 'number', 'organization_id', 'requester_id', 'assignee_id', 'team_id', 'priority', 'status', 'plan_id', 'is_open', 'created_at'])
    .where(sql<boolean>`id = any(${ids})`);
  if (options.lock) ticketQuery = ticketQuery.orderBy('id').forNoKeyUpdate();
  const tickets = await ticketQuery.execute();
  if (tickets.length === 0) return result;
  const audits = await executor
    .selectFrom('audit_events')
    .select(['id', 'ticket_id', 'action', 'changes', 'created_at'])
    .where(sql<boolean>`ticket_id = any(${ids})`)
    .where((eb) =>
      eb.or([
        eb('action', 'in', ['ticket.created', 'reply.added', ...POLICY_ACTIONS]),
        eb(sql`changes -> 'status'`, 'is not', null),
        eb(sql`changes -> 'priority'`, 'is not', null),
      ]),
    )
    .orderBy('id')
    .execute();
  const authors = await executor
    .selectFrom('messages')
    .leftJoin('users', 'users.id', 'messages.author_id')
    .select(['messages.id', 'users.kind'])
    .where(sql<boolean>`messages.ticket_id = any(${ids})`)
    .where('messages.is_internal', '=', false)
    .execute();
  const authorKind = new Map(authors.map((row) => [row.id, row.kind]));

  const byTicket = new Map<string, typeof audits>();
  for (const row of audits) {
    const list = byTicket.get(row.ticket_id!);
    if (list) list.push(row);
    else byTicket.set(row.ticket_id!, [row]);
  }
  for (const row of tickets) {
    const ticket: SlaCase = {
      id: row.id,
      number: row.number,
      organizationId: row.organization_id,
      requesterId: row.requester_id,
      assigneeId: row.assignee_id,
      teamId: row.team_id,
      priority: row.priority as SlaPriority,
      status: row.status,
      planId: row.plan_id,
      isOpen: row.is_open,
      createdAt: row.created_at,
    };
    const ranked: Array<{ event: CaseEvent; order: number }> = [];
    let initial: { status?: string; priority?: SlaPriority } | undefined;
    let appliedPolicy: AppliedPolicy | null = null;
    (byTicket.get(row.id) ?? []).forEach((audit, order) => {
      const changes = (audit.changes ?? {}) as Record<string, unknown>;
      const at = audit.created_at;
      if (audit.action === 'ticket.created') {
        initial = { status: typeof changes.status === 'string' ? changes.status : undefined, priority: isPriority(changes.priority) ? changes.priority : undefined };
        return;
      }
      if (POLICY_ACTIONS.includes(audit.action)) {
        appliedPolicy = { planId: typeof changes.planId === 'string' ? changes.planId : null, organizationId: String(changes.organizationId ?? ticket.organizationId) };
        return;
      }
      const status = afterOf(changes.status);
      if (typeof status === 'string') ranked.push({ event: { at, type: 'status', status }, order });
      const priority = afterOf(changes.priority);
      if (isPriority(priority)) ranked.push({ event: { at, type: 'priority', priority }, order });
      if (audit.action === 'reply.added' && changes.internal !== true) {
        const kind = authorKind.get(String(changes.messageId));
        if (kind === 'agent') ranked.push({ event: { at, type: 'agent-public-reply' }, order });
        if (kind === 'contact') ranked.push({ event: { at, type: 'customer-public-reply' }, order });
      }
    });
    ranked.sort((a, b) => a.event.at.getTime() - b.event.at.getTime() || RANK[a.event.type] - RANK[b.event.type] || a.order - b.order);
    // Without a creation row (imported cases), the first recorded change tells the initial values.
    const firstStatus = (byTicket.get(row.id) ?? []).map((audit) => (audit.changes as Record<string, unknown>)?.status).find((change) => afterOf(change) !== undefined);
    const firstPriority = (byTicket.get(row.id) ?? []).map((audit) => (audit.changes as Record<string, unknown>)?.priority).find((change) => afterOf(change) !== undefined);
    const created: CaseEvent = {
      at: ticket.createdAt,
      type: 'created',
      status: initial?.status ?? (firstStatus as { before?: string } | undefined)?.before ?? ticket.status,
      priority: initial?.priority ?? ((firstPriority as { before?: SlaPriority } | undefined)?.before ?? ticket.priority),
    };
    result.set(row.id, { ticket, events: [created, ...ranked.map((entry) => entry.event)], appliedPolicy });
  }
  return result;
}

/** Serialises recomputations of the same cases with the ticket use cases (which lock the row too). */
export async function lockCases(executor: Executor, ticketIds: readonly string[]): Promise<void> {
  if (ticketIds.length === 0) return;
  await executor.selectFrom('tickets').select('id').where(sql<boolean>`id = any(${uuidArray([...ticketIds])})`).orderBy('id').forNoKeyUpdate().execute();
}

export async function setCasePlan(executor: Executor, ticketId: string, planId: string | null): Promise<void> {
  await executor.updateTable('tickets').set({ plan_id: planId }).where('id', '=', ticketId).execute();
}
