import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { actorIdOrNull, isAgent, type Actor } from '../identity/index.ts';
import { eventPayload } from './create-ticket.ts';
import { loadVisibleTicket } from './get-ticket.ts';
import { statusAfterReply } from './ticket-status.ts';
import { ticketsError } from './tickets.errors.ts';
import { canTicket } from './tickets.policy.ts';
import { attachToMessage, insertMessage, listMessageRows, touchTicket, updateTicketRow } from './tickets.repo.ts';
import { Channel, type Message } from './tickets.types.ts';

export const AddMessageInput = z
  .object({
    body: z.string().min(1).max(200_000),
    internal: z.boolean().optional().describe('An internal note, never shown to customers'),
    channel: Channel.optional(),
    attachmentIds: z.array(z.uuid()).max(50).optional(),
  })
  .strict();
export type AddMessageInput = z.infer<typeof AddMessageInput>;

/** A public reply or an internal note; a reply may move the case (customer answer reopens it). */
export async function addMessage(db: Db, actor: Actor, ticketId: string, input: AddMessageInput): Promise<Message> {
  const internal = input.internal ?? false;
  return db.transaction().execute(async (tx) => {
    const ticket = await loadVisibleTicket(tx, actor, ticketId, { forUpdate: true });
    if (internal && !canTicket(actor, 'ticket.note', ticket)) throw ticketsError('MESSAGE_INTERNAL_FORBIDDEN');
    if (!canTicket(actor, 'ticket.reply', ticket)) throw ticketsError('TICKET_FORBIDDEN');
    if (ticket.status === 'closed') throw ticketsError('TICKET_CLOSED');
    const byCustomer = !isAgent(actor);
    const channel = byCustomer ? 'portal' : (input.channel ?? 'api');
    const message = await insertMessage(tx, { ticketId, authorId: actor.userId, body: input.body, internal, channel });
    const target = { ticketId, organizationId: ticket.organizationId, messageId: message.id, uploaderId: actor.userId };
    const attachments = await attachToMessage(tx, target, input.attachmentIds ?? []);
    if (attachments.length !== (input.attachmentIds?.length ?? 0)) throw ticketsError('ATTACHMENT_NOT_FOUND');
    const nextStatus = statusAfterReply(ticket.status, byCustomer, internal);
    const updated = nextStatus ? await updateTicketRow(tx, ticketId, { status: nextStatus, ...(nextStatus === 'open' && { solvedAt: null }) }) : ticket;
    if (!nextStatus) await touchTicket(tx, ticketId);
    await recordAudit(tx, {
      subjectType: 'ticket',
      subjectId: ticketId,
      ticketId,
      actorId: actorIdOrNull(actor),
      action: internal ? 'note.added' : 'reply.added',
      changes: {
        messageId: message.id,
        internal,
        ...(nextStatus && { status: { before: ticket.status, after: nextStatus } }),
      },
    });
    await enqueueEvent(tx, 'ticket.message-added', eventPayload(updated, { messageId: message.id, internal, byCustomer }));
    return { ...message, attachments };
  });
}

export async function listMessages(db: Db, actor: Actor, ticketId: string): Promise<Message[]> {
  const ticket = await loadVisibleTicket(db, actor, ticketId);
  return listMessageRows(db, ticketId, canTicket(actor, 'ticket.read-internal', ticket));
}
