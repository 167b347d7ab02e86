import type { Tx } from '../../platform/db/database.ts';
import { diffFields, recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { isAgent, type Actor } from '../identity/index.ts';
import { createTicketsInTransaction, eventPayload } from './create-ticket.ts';
import { loadVisibleTicket } from './get-ticket.ts';
import { statusAfterReply } from './ticket-status.ts';
import { ticketsError } from './tickets.errors.ts';
import { insertMessage, markTicketPanicRow } from './tickets.repo.ts';
import type { Ticket } from './tickets.types.ts';

export type RaisePanicCaseInput = { ticketId?: string; description: string };

const SUBJECT_PREFIX = 'PANIC: ';
const SUBJECT_MAX = 300;

/** "PANIC: " and the first non-empty line of the description, cut to the subject length. */
export function panicSubject(description: string): string {
  const firstLine = description.split(/\r?\n/).map((line) => line.trim()).find((line) => line.length > 0) ?? '';
  return (SUBJECT_PREFIX + firstLine).slice(0, SUBJECT_MAX).trim();
}

/**
 * The case side of the panic button, run inside the panic context's transaction (which holds the
 * quota lock), so the case change, the quota and the alert commit together or not at all.
 * Without ticketId: opens a P1 portal case requested by the contact. With ticketId: escalates a
 * case the contact may see to P1, reopening it if solved (a closed case cannot be reopened).
 * Either way the case is flagged as a panic and the description is the contact's public message.
 */
export async function raisePanicCase(tx: Tx, actor: Actor, input: RaisePanicCaseInput): Promise<Ticket> {
  if (isAgent(actor) || !actor.organizationId) throw ticketsError('TICKET_FORBIDDEN');
  return input.ticketId ? escalateToPanic(tx, actor, input.ticketId, input.description) : openPanicCase(tx, actor, input.description);
}

async function openPanicCase(tx: Tx, actor: Actor, description: string): Promise<Ticket> {
  // Opened like any case by its requester (checked by the insert, written with its plan and profile version), flagged as a panic.
  const [created] = await createTicketsInTransaction(tx, [{ actor, input: { subject: panicSubject(description), body: description, priority: 'P1' }, options: { panic: true } }]);
  return created!.ticket;
}

async function escalateToPanic(tx: Tx, actor: Actor, ticketId: string, description: string): Promise<Ticket> {
  const current = await loadVisibleTicket(tx, actor, ticketId, { forUpdate: true });
  if (current.status === 'closed') throw ticketsError('TICKET_CLOSED');
  const message = await insertMessage(tx, { ticketId, authorId: actor.userId, body: description, internal: false, channel: 'portal' });
  const nextStatus = statusAfterReply(current.status, true, false);
  const updated = await markTicketPanicRow(tx, ticketId, nextStatus === 'open' ? { status: 'open', solvedAt: null } : {});
  await recordAudit(tx, { subjectType: 'ticket', subjectId: ticketId, ticketId, actorId: actor.userId, action: 'reply.added', changes: { messageId: message.id, internal: false } });
  const before: Record<string, unknown> = { priority: current.priority, status: current.status, isPanic: current.isPanic };
  const changes = diffFields(before, { priority: updated.priority, status: updated.status, isPanic: true });
  await enqueueEvent(tx, 'ticket.message-added', eventPayload(updated, { messageId: message.id, internal: false, byCustomer: true }));
  if (Object.keys(changes).length > 0) {
    await recordAudit(tx, { subjectType: 'ticket', subjectId: ticketId, ticketId, actorId: actor.userId, action: 'ticket.updated', changes });
    await enqueueEvent(tx, 'ticket.updated', eventPayload(updated, { changed: Object.keys(changes), isPanic: true }));
  }
  return updated;
}
