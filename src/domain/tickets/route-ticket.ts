import type { Tx } from '../../platform/db/database.ts';
import { diffFields, recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { eventPayload } from './create-ticket.ts';
import { findTicket, updateTicketRow, type TicketPatchRecord } from './tickets.repo.ts';
import type { Ticket } from './tickets.types.ts';

/**
 * Assignment and escalation writes made by the routing context: the ticket row, one audit entry
 * and one outbox event, in the caller's transaction. The routing rules themselves live in
 * domain/routing; this file only applies their decision to the case.
 */

/** Locks the case row for a routing decision (callers then lock their routing rows). */
export async function lockTicketForRouting(tx: Tx, ticketId: string): Promise<Ticket | undefined> {
  const found = await findTicket(tx, ticketId, { forUpdate: true });
  if (!found) return undefined;
  const { organizationSharesCases: _access, ...ticket } = found;
  return ticket;
}

export type TicketRoutingChange = {
  assigneeId: string | null;
  teamId?: string | null;
  supportLine?: 'L1' | 'L2' | 'L3';
  actorId: string | null;
  /** Timeline action. */
  action: 'ticket.auto-assigned' | 'ticket.auto-assign-skipped' | 'ticket.escalated';
  /** Outbox topic announcing the change. */
  topic: 'ticket.assigned' | 'ticket.escalated' | 'ticket.updated';
  /** Extra facts for the timeline (reason, strategy, rule…), stored beside the before/after pairs. */
  details: Record<string, unknown>;
};

/**
 * Applies a routing decision to a locked case: assignee, and optionally team and support line.
 * A new case that receives an assignee becomes open (as with a manual assignment).
 */
export async function routeTicket(tx: Tx, current: Ticket, change: TicketRoutingChange): Promise<Ticket> {
  const patch: TicketPatchRecord = { assigneeId: change.assigneeId };
  if (change.teamId !== undefined) patch.teamId = change.teamId;
  if (change.supportLine !== undefined) patch.supportLine = change.supportLine;
  if (change.assigneeId && current.status === 'new') patch.status = 'open';
  const changes = diffFields(current as unknown as Record<string, unknown>, patch as Record<string, unknown>);
  const updated = await updateTicketRow(tx, current.id, patch);
  await recordAudit(tx, { subjectType: 'ticket', subjectId: current.id, ticketId: current.id, actorId: change.actorId, action: change.action, changes: { ...changes, ...change.details } });
  await enqueueEvent(tx, change.topic, eventPayload(updated, { changed: Object.keys(changes) }));
  return updated;
}
