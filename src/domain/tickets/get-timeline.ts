import type { Db } from '../../platform/db/database.ts';
import type { Actor } from '../identity/index.ts';
import { loadVisibleTicket } from './get-ticket.ts';
import { canTicket } from './tickets.policy.ts';
import { listTimelineRows } from './tickets.repo.ts';
import type { TimelineEntry } from './tickets.types.ts';

/** Fields of a change a customer may see on the timeline of their case. */
const CUSTOMER_VISIBLE_FIELDS = new Set(['status', 'priority', 'subject', 'severity', 'product', 'channel', 'messageId', 'internal']);
const CUSTOMER_VISIBLE_ACTIONS = new Set(['ticket.created', 'ticket.updated', 'reply.added', 'ticket.merged', 'ticket.merged-into']);

/** The append-only audit timeline. Customers see only public actions and public fields. */
export async function getTimeline(db: Db, actor: Actor, ticketId: string): Promise<TimelineEntry[]> {
  const ticket = await loadVisibleTicket(db, actor, ticketId);
  const entries = await listTimelineRows(db, ticketId);
  if (canTicket(actor, 'ticket.read-internal', ticket)) return entries;
  return entries
    .filter((entry) => CUSTOMER_VISIBLE_ACTIONS.has(entry.action))
    .map((entry) => ({
      ...entry,
      changes: Object.fromEntries(Object.entries(entry.changes).filter(([field]) => CUSTOMER_VISIBLE_FIELDS.has(field))),
    }))
    .filter((entry) => entry.action !== 'ticket.updated' || Object.keys(entry.changes).length > 0);
}
