/**
 * The outbox subscriber that keeps the SLA clocks of a case in step with its history: every case
 * event that can move a clock (creation, a reply, a status, priority or organisation change, a
 * merge) recomputes the case's clocks; a plan or calendar change recomputes every open case on the
 * plans concerned. Replays are harmless: the recomputation is idempotent.
 */
import type { Db } from '../../platform/db/database.ts';
import type { OutboxEvent } from '../../platform/outbox/outbox.ts';
import type { EventHandler } from '../../platform/outbox/processor.ts';
import { listPlanIdsUsingCalendar } from '../plans/index.ts';
import { recomputeOpenSlaClocks } from './recompute-open-sla-clocks.ts';
import { recomputeCaseBatch } from './recompute-ticket-sla.ts';

const CASES_PER_TRANSACTION = 200;

/** Fields of an edit (update, assignment, escalation) that can change a clock; other edits (tags, assignee…) are skipped. */
const CLOCK_FIELDS = new Set(['status', 'priority', 'organizationId', 'planId']);

export function ticketsToRecompute(event: Pick<OutboxEvent, 'topic' | 'payload'>): string[] {
  const { payload } = event;
  // A case written without a plan (none was in force for its organisation) has no clocks to start: its
  // first recomputation would read its history and find nothing to do. (`planId` absent: an older event.)
  if (event.topic === 'ticket.created' && payload.planId === null) return [];
  const ids = [payload.ticketId, event.topic === 'ticket.merged' ? payload.sourceId : undefined].filter((id): id is string => typeof id === 'string');
  const isEdit = event.topic === 'ticket.updated' || event.topic === 'ticket.assigned' || event.topic === 'ticket.escalated';
  if (isEdit && Array.isArray(payload.changed) && !payload.changed.some((field) => CLOCK_FIELDS.has(String(field)))) return [];
  return ids;
}

/** The plans whose open cases a policy event moves: the plan changed, or every plan on the changed calendar. */
export async function plansToRecompute(db: Db, event: Pick<OutboxEvent, 'topic' | 'payload'>): Promise<string[]> {
  const { payload } = event;
  if (event.topic === 'plan.changed' && typeof payload.planId === 'string') return [payload.planId];
  if (event.topic === 'calendar.changed' && typeof payload.calendarId === 'string') return listPlanIdsUsingCalendar(db, payload.calendarId);
  return [];
}

export function slaEventHandler(db: Db, now: () => Date = () => new Date()): EventHandler {
  // The outbox processor hands over a whole claimed batch: the cases it touches are recomputed
  // together (one transaction and a fixed number of statements per 200 cases), the result being
  // a function of each case's history, whatever the order of its events.
  const handleBatch = async (events: OutboxEvent[]): Promise<void> => {
    const ticketIds = [...new Set(events.flatMap((event) => ticketsToRecompute(event)))];
    for (let from = 0; from < ticketIds.length; from += CASES_PER_TRANSACTION) {
      const chunk = ticketIds.slice(from, from + CASES_PER_TRANSACTION);
      await db.transaction().execute((tx) => recomputeCaseBatch(tx, chunk, now()));
    }
    for (const event of events) {
      const planIds = await plansToRecompute(db, event);
      if (planIds.length > 0) await recomputeOpenSlaClocks(db, { planIds, now: now() });
    }
  };
  return {
    name: 'sla',
    topics: ['ticket.created', 'ticket.updated', 'ticket.message-added', 'ticket.merged', 'ticket.assigned', 'ticket.escalated', 'plan.changed', 'calendar.changed'],
    handle: (event) => handleBatch([event]),
    handleBatch,
  };
}
