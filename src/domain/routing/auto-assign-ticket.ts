import type { Database, Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { OutboxEvent } from '../../platform/outbox/outbox.ts';
import type { EventHandler } from '../../platform/outbox/processor.ts';
import { findTicket, findTicketGlances, isOpenStatus, lockTicketForRouting, routeTicket, type TicketGlance } from '../tickets/index.ts';
import { pickTeamAgent, planOfCase } from './pick-team-agent.ts';
import { hasRoutingDecision, recordRoutedAssignment } from './routing.repo.ts';

export type AutoAssignOutcome =
  | { outcome: 'assigned'; assigneeId: string; teamId: string; reason: string }
  | { outcome: 'left-unassigned'; assigneeId: null; teamId: string; reason: string }
  | { outcome: 'not-routed'; assigneeId: string | null; reason: string };

/**
 * Routes a new case to an agent of its team: the case's team, else its plan's team. Does nothing
 * when there is no team, the team routes manually, the case already has an assignee (a manual
 * assignment always wins), or routing already decided about it (an outbox replay). The decision
 * and its reason go on the case's audit timeline; a case routed through its plan's team joins
 * that team's queue even when nobody could take it.
 */
export async function autoAssignTicket(db: Db, ticketId: string, options: { now?: Date; reoffer?: boolean; glanced?: boolean } = {}): Promise<AutoAssignOutcome> {
  const now = options.now ?? new Date();
  // A re-offer (shift start) looks again at a case routing left waiting; it records only a success.
  const reoffer = options.reoffer ?? false;
  // Most new cases have no team, on themselves or through their plan: find that out with plain reads,
  // without a transaction or a lock (the decision below re-reads everything under the lock).
  if (!reoffer && !options.glanced) {
    const glance = await findTicket(db, ticketId);
    if (!glance) return { outcome: 'not-routed', assigneeId: null, reason: 'no such case' };
    if (!glance.assigneeId && !(await mayNeedRouting(db, [glance]))[0]) return { outcome: 'not-routed', assigneeId: null, reason: 'the case has no team and its plan names none' };
  }
  return db.transaction().execute(async (tx): Promise<AutoAssignOutcome> => {
    const ticket = await lockTicketForRouting(tx, ticketId);
    if (!ticket) return { outcome: 'not-routed', assigneeId: null, reason: 'no such case' };
    if (ticket.assigneeId) return { outcome: 'not-routed', assigneeId: ticket.assigneeId, reason: 'the case already has an assignee' };
    if (!isOpenStatus(ticket.status) || ticket.mergedIntoId) return { outcome: 'not-routed', assigneeId: null, reason: 'the case is no longer open' };
    if (!reoffer && (await hasRoutingDecision(tx, ticket.id))) return { outcome: 'not-routed', assigneeId: null, reason: 'routing already decided about this case' };
    const plan = await planOfCase(tx, ticket);
    const teamId = ticket.teamId ?? plan?.teamId ?? null;
    if (!teamId) return { outcome: 'not-routed', assigneeId: null, reason: 'the case has no team and its plan names none' };
    const decision = await pickTeamAgent(tx, teamId, { supportLine: ticket.supportLine, isSeniorOnly: plan?.seniorOnly ?? false, priority: ticket.priority }, now);
    if (!decision) return { outcome: 'not-routed', assigneeId: null, reason: 'the team routes manually' };

    const { choice, routing } = decision;
    const details = { strategy: routing.strategy, rule: choice.rule, reason: choice.reason, planId: plan?.id ?? null, ...(reoffer && { trigger: 'shift-start' }) };
    const teamChange = ticket.teamId === null ? { teamId } : {};
    if (choice.assigneeId) {
      await routeTicket(tx, ticket, { assigneeId: choice.assigneeId, ...teamChange, actorId: null, action: 'ticket.auto-assigned', topic: 'ticket.assigned', details });
      await recordRoutedAssignment(tx, teamId, choice.assigneeId, now);
      return { outcome: 'assigned', assigneeId: choice.assigneeId, teamId, reason: choice.reason };
    }
    if (reoffer) return { outcome: 'left-unassigned', assigneeId: null, teamId, reason: choice.reason };
    if (ticket.teamId === null) {
      await routeTicket(tx, ticket, { assigneeId: null, teamId, actorId: null, action: 'ticket.auto-assign-skipped', topic: 'ticket.updated', details });
    } else {
      await recordAudit(tx, { subjectType: 'ticket', subjectId: ticket.id, ticketId: ticket.id, actorId: null, action: 'ticket.auto-assign-skipped', changes: details });
    }
    return { outcome: 'left-unassigned', assigneeId: null, teamId, reason: choice.reason };
  });
}

/**
 * Which of these cases routing must decide about under a lock: those unassigned with a team, on
 * themselves or through their plan (a manual assignment always wins, so an assigned case needs no
 * decision). Plain reads; the plan of an organisation is looked up once per day.
 */
async function mayNeedRouting(db: Db, tickets: readonly TicketGlance[]): Promise<boolean[]> {
  const plans = new Map<string, ReturnType<typeof planOfCase>>();
  return Promise.all(
    tickets.map(async (ticket) => {
      if (ticket.assigneeId) return false;
      if (ticket.teamId) return true;
      const key = ticket.planId ?? `${ticket.organizationId}:${new Date(ticket.createdAt).toISOString().slice(0, 10)}`;
      let plan = plans.get(key);
      if (!plan) plans.set(key, (plan = planOfCase(db, ticket)));
      return Boolean((await plan)?.teamId);
    }),
  );
}

/**
 * What a `ticket.created` event says of the case as it was written (the case insert puts the
 * assignee, team, plan, organisation and time in it); undefined for an event without them.
 */
function glanceOf(event: OutboxEvent): TicketGlance | undefined {
  const { ticketId, assigneeId, teamId, planId, organizationId, createdAt } = event.payload;
  const idOrNull = (value: unknown): value is string | null => value === null || typeof value === 'string';
  if (typeof ticketId !== 'string' || typeof organizationId !== 'string' || typeof createdAt !== 'string') return undefined;
  if (!idOrNull(assigneeId) || !idOrNull(teamId) || !idOrNull(planId)) return undefined;
  return { id: ticketId, assigneeId, teamId, planId, organizationId, createdAt: new Date(createdAt).toISOString() };
}

/**
 * The outbox subscriber: every new case is offered to its team's routing once, as it was created.
 * Over a claimed batch, the events themselves say each new case's assignee, team and plan (older
 * events without them: one narrow read), and most stop there (no team); the rest are decided one
 * by one, each in its own transaction, on the case as it is then.
 */
export function autoAssignHandler(database: Database, options: { now?: () => Date } = {}): EventHandler {
  const handleBatch = async (events: OutboxEvent[]): Promise<void> => {
    const glances = new Map<string, TicketGlance | undefined>();
    for (const event of events) {
      const id = event.payload.ticketId;
      if (typeof id === 'string' && !glances.has(id)) glances.set(id, glanceOf(event));
    }
    const unknown = [...glances].flatMap(([id, glance]) => (glance ? [] : [id]));
    const found = unknown.length ? await findTicketGlances(database.db, unknown) : new Map<string, TicketGlance>();
    // In event order: round-robin hands out cases in the order they were opened.
    const tickets = [...glances].flatMap(([id, glance]) => glance ?? found.get(id) ?? []);
    const verdicts = await mayNeedRouting(database.db, tickets);
    for (const [index, ticket] of tickets.entries()) {
      if (verdicts[index]) await autoAssignTicket(database.db, ticket.id, { now: options.now?.(), glanced: true });
    }
  };
  return { name: 'routing.auto-assign', topics: ['ticket.created'], handle: (event) => handleBatch([event]), handleBatch };
}
