import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db, Tx } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { actorIdOrNull, isAgent, type Actor } from '../identity/index.ts';
import { eventPayload } from './create-ticket.ts';
import { loadVisibleTicket } from './get-ticket.ts';
import { statusAfterReply } from './ticket-status.ts';
import { ticketsError } from './tickets.errors.ts';
import { canTicket } from './tickets.policy.ts';
import {
  attachToMessage,
  insertMessage,
  insertMessageFiles,
  insertMessagesWithEffects,
  listMessageRows,
  touchTicket,
  updateTicketRow,
  type MailMessageRecord,
  type MessageFileRecord,
} from './tickets.repo.ts';
import { Channel, type Message, type Ticket } from './tickets.types.ts';

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
    return (await addMessageInTransaction(tx, actor, ticket, input)).message;
  });
}

export type AddMessageOptions = {
  /** An emailed message: its folded part, safe HTML, source mail and the files it carried. */
  mail?: MailMessageRecord & { files: readonly MessageFileRecord[] };
};

/**
 * What a message does, decided once for both write paths: its channel (a contact's message keeps
 * the email channel when it came by mail, else is a portal one), the case's next status, its audit
 * row and its `ticket.message-added` event.
 */
function planMessage(actor: Actor, ticket: Ticket, input: AddMessageInput, options: AddMessageOptions, messageId: string) {
  const internal = input.internal ?? false;
  const byCustomer = !isAgent(actor);
  const nextStatus = statusAfterReply(ticket.status, byCustomer, internal);
  return {
    internal,
    channel: byCustomer && !options.mail ? ('portal' as const) : (input.channel ?? 'api'),
    authorId: actorIdOrNull(actor),
    nextStatus,
    auditAction: internal ? 'note.added' : 'reply.added',
    auditChanges: { messageId, internal, ...(nextStatus && { status: { before: ticket.status, after: nextStatus } }) },
    event: (updated: Ticket) => eventPayload(updated, { messageId, internal, byCustomer, ...(options.mail && { inboundMailId: options.mail.inboundMailId }) }),
  };
}

/** Links the uploaded attachments named by the input and stores the mail's files, on a written message. */
async function attachFiles(tx: Tx, actor: Actor, ticket: Ticket, messageId: string, input: AddMessageInput, options: AddMessageOptions) {
  const target = { ticketId: ticket.id, organizationId: ticket.organizationId, messageId, uploaderId: actor.userId };
  const attachments = await attachToMessage(tx, target, input.attachmentIds ?? []);
  if (attachments.length !== (input.attachmentIds?.length ?? 0)) throw ticketsError('ATTACHMENT_NOT_FOUND');
  attachments.push(...(await insertMessageFiles(tx, { ...target, uploaderId: null }, options.mail?.files ?? [])));
  return attachments;
}

/**
 * The core of addMessage in the caller's transaction, on a case the caller has locked and checked
 * (the mail intake decides who may write into a case by its own threading rules).
 */
export async function addMessageInTransaction(
  tx: Tx,
  actor: Actor,
  ticket: Ticket,
  input: AddMessageInput,
  options: AddMessageOptions = {},
): Promise<{ message: Message; ticket: Ticket }> {
  const ticketId = ticket.id;
  const messageId = randomUUID();
  const plan = planMessage(actor, ticket, input, options, messageId);
  const message = await insertMessage(tx, { id: messageId, ticketId, authorId: plan.authorId, body: input.body, internal: plan.internal, channel: plan.channel, mail: options.mail });
  const attachments = await attachFiles(tx, actor, ticket, messageId, input, options);
  const { nextStatus } = plan;
  const updated = nextStatus ? await updateTicketRow(tx, ticketId, { status: nextStatus, ...(nextStatus === 'open' && { solvedAt: null }) }) : ticket;
  if (!nextStatus) await touchTicket(tx, ticketId);
  await recordAudit(tx, { subjectType: 'ticket', subjectId: ticketId, ticketId, actorId: plan.authorId, action: plan.auditAction, changes: plan.auditChanges });
  await enqueueEvent(tx, 'ticket.message-added', plan.event(updated));
  return { message: { ...message, attachments }, ticket: updated };
}

export type AddMessageRequest = { actor: Actor; ticket: Ticket; input: AddMessageInput; options?: AddMessageOptions };

/**
 * Several messages, each on its own case, in the caller's transaction and exactly as
 * addMessageInTransaction would write them one after the other: one statement inserts the messages
 * and their audit rows and events and moves or touches the cases (the mail intake appends a lane's
 * replies together), then the files of each. The cases must be distinct, locked and checked by the
 * caller. Results in request order.
 */
export async function addMessagesInTransaction(tx: Tx, requests: readonly AddMessageRequest[]): Promise<Array<{ messageId: string; ticket: Ticket }>> {
  if (new Set(requests.map((request) => request.ticket.id)).size !== requests.length) throw new Error('addMessagesInTransaction: one message per case');
  const planned = requests.map(({ actor, ticket, input, options = {} }) => {
    const messageId = randomUUID();
    const plan = planMessage(actor, ticket, input, options, messageId);
    const updated: Ticket = plan.nextStatus ? { ...ticket, status: plan.nextStatus } : ticket;
    return {
      record: {
        id: messageId,
        ticketId: ticket.id,
        authorId: plan.authorId,
        body: input.body,
        internal: plan.internal,
        channel: plan.channel,
        mail: options.mail,
        nextStatus: plan.nextStatus ?? null,
        auditAction: plan.auditAction,
        auditChanges: plan.auditChanges,
        event: plan.event(updated),
      },
      updated,
    };
  });
  if (planned.length > 0) await insertMessagesWithEffects(tx, planned.map((plan) => plan.record));
  for (const [index, { actor, ticket, input, options = {} }] of requests.entries()) await attachFiles(tx, actor, ticket, planned[index]!.record.id, input, options);
  return planned.map((plan) => ({ messageId: plan.record.id, ticket: plan.updated }));
}

export async function listMessages(db: Db, actor: Actor, ticketId: string): Promise<Message[]> {
  const ticket = await loadVisibleTicket(db, actor, ticketId);
  return listMessageRows(db, ticketId, canTicket(actor, 'ticket.read-internal', ticket));
}
