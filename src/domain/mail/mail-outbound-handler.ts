import type { Db } from '../../platform/db/database.ts';
import type { OutboxEvent } from '../../platform/outbox/outbox.ts';
import type { EventHandler } from '../../platform/outbox/processor.ts';
import { findReplySource, findRequester, listCaseRecipients } from './mail-recipients.repo.ts';
import type { OutboundMailSettings } from './outbound-mail-settings.ts';
import { queueMail } from './queue-mail.ts';

/** Payload fields the inbound side sets on a case opened by machine mail (defensive: such mail opens no case today). */
// suppressAutoReply: the mail came through a list or asked for no automatic answer (RFC 3834, Precedence: list/bulk).
const MACHINE_FLAGS = ['isMachineGenerated', 'autoSubmitted', 'isAutoReply', 'suppressAutoReply'] as const;

/**
 * Customer-facing mail caused by case events: an agent's public reply goes to the requester and
 * every CC'd participant (one mail each, in their language); a case opened by e-mail gets an
 * automatic acknowledgement. Idempotent: each mail has a dedupe key, so a replayed event queues nothing.
 */
export function mailOutboundHandler(db: Db, settings: OutboundMailSettings): EventHandler {
  return {
    name: 'mail-outbound',
    topics: ['ticket.message-added', 'ticket.created'],
    async handle(event: OutboxEvent) {
      if (event.topic === 'ticket.message-added') await mailPublicReply(db, event.payload, settings);
      else if (event.topic === 'ticket.created') await acknowledgeEmailCase(db, event.payload, settings);
    },
  };
}

export async function mailPublicReply(db: Db, payload: Record<string, unknown>, settings: OutboundMailSettings): Promise<number> {
  if (payload.internal === true || typeof payload.messageId !== 'string') return 0;
  return db.transaction().execute(async (tx) => {
    const message = await findReplySource(tx, payload.messageId as string);
    if (!message || message.isInternal || message.authorKind !== 'agent') return 0;
    const author = message.authorEmail?.toLowerCase();
    // The author never receives their own reply; an unusable stored address is skipped rather than blocking the others.
    const recipients = (await listCaseRecipients(tx, message.ticketId)).filter((recipient) => recipient.email.toLowerCase() !== author && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(recipient.email));
    let queued = 0;
    for (const recipient of recipients) {
      const result = await queueMail(tx, {
        kind: 'reply',
        dedupeKey: `reply:${message.id}:${recipient.email.toLowerCase()}`,
        to: [recipient.email],
        ticketId: message.ticketId,
        messageRef: message.id,
        locale: recipient.locale,
        template: 'reply',
        data: { body: message.body, agentName: message.authorName ?? '', name: recipient.name },
        autoSubmitted: false,
      }, settings);
      if (result.queued) queued += 1;
    }
    return queued;
  });
}

export async function acknowledgeEmailCase(db: Db, payload: Record<string, unknown>, settings: OutboundMailSettings): Promise<boolean> {
  if (payload.channel !== 'email' || typeof payload.ticketId !== 'string') return false;
  if (MACHINE_FLAGS.some((flag) => payload[flag] === true)) return false;
  const ticketId = payload.ticketId;
  return db.transaction().execute(async (tx) => {
    const requester = await findRequester(tx, ticketId);
    if (!requester) return false;
    const result = await queueMail(tx, {
      kind: 'acknowledgement',
      dedupeKey: `acknowledgement:${ticketId}`,
      to: [requester.email],
      ticketId,
      locale: requester.locale,
      template: 'acknowledgement',
      data: { name: requester.name },
      autoSubmitted: true,
    }, settings);
    return result.queued;
  });
}
