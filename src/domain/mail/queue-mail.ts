import { z } from 'zod';
import type { Executor } from '../../platform/db/database.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { automaticHeaders, boundReferences, CONVERSATION_KINDS, domainOf, newMessageId, normaliseAddress, plusAddress } from './outbound-mail-headers.ts';
import type { OutboundMailSettings } from './outbound-mail-settings.ts';
import { findFlaggedAddresses, findMailCase, findOutboundIdByDedupeKey, findSendingMailbox, insertOutboundMail, listThreadMessageIds, recordOutgoingMessageId } from './outbound-mail.repo.ts';
import { renderMailTemplate, TemplateName } from './templates/mail-templates.ts';

const Address = z.string().trim().toLowerCase().email().max(320);

export const QueueMailInput = z.object({
  /** reply, acknowledgement, sla-notice, panic-alert, tam-notice, magic-link, … (free text, for the admin list). */
  kind: z.union([z.enum(['reply', 'acknowledgement', 'sla-notice', 'panic-alert', 'tam-notice', 'escalation-notice', 'magic-link']), z.string().min(1).max(64)]),
  /** One logical mail: queueing the same key again does nothing (e.g. `reply:<messageId>:<address>`). */
  dedupeKey: z.string().min(1).max(500),
  to: z.array(Address).min(1).max(50),
  cc: z.array(Address).max(50).optional(),
  ticketId: z.uuid().nullable().optional(),
  /** The case message this mail carries (a public reply), for threading records. */
  messageRef: z.uuid().nullable().optional(),
  locale: z.union([z.enum(['en', 'fr']), z.string().min(2).max(35)]),
  template: TemplateName,
  data: z.record(z.string(), z.unknown()),
  /** Automatic mail (acknowledgements, notices): `Auto-Submitted: auto-replied`. Default: every kind but `reply`. */
  autoSubmitted: z.boolean().optional(),
});
export type QueueMailInput = z.input<typeof QueueMailInput>;

/**
 * Renders a mail in the recipient's language and queues it for the SMTP sender, in the caller's
 * transaction (so the mail exists if and only if the change that caused it committed). Mail about
 * a case gets our Message-ID with the case token, a stable `[#n]` subject, a plus-addressed
 * Reply-To and — for the customer conversation — In-Reply-To/References to the case's last mail.
 * A recipient whose address bounced before is `held` instead of queued. `queued` is false only when
 * the dedupe key was already known (nothing new was written).
 */
export async function queueMail(tx: Executor, input: QueueMailInput, settings: OutboundMailSettings): Promise<{ id: string; queued: boolean }> {
  const mail = QueueMailInput.parse(input);
  const existing = await findOutboundIdByDedupeKey(tx, mail.dedupeKey);
  if (existing) return { id: existing, queued: false };

  const ticket = mail.ticketId ? await findMailCase(tx, mail.ticketId) : null;
  const isConversation = ticket !== null && CONVERSATION_KINDS.has(mail.kind);
  const mailbox = await findSendingMailbox(tx, ticket?.id ?? null);
  const fromAddress = mailbox?.address ?? settings.fromAddress;
  const domain = settings.domain || domainOf(fromAddress) || 'casebook.local';

  const caseUrl = ticket && settings.publicUrl ? `${settings.publicUrl}${isConversation ? '/portal/cases/' : '/cases/'}${ticket.id}` : null;
  const rendered = renderMailTemplate(mail.template, mail.locale, mail.data, ticket ? { number: ticket.number, subject: ticket.subject, url: caseUrl } : null);

  const thread = isConversation ? await listThreadMessageIds(tx, ticket.id) : [];
  const messageId = newMessageId(domain, ticket?.mailToken ?? null);
  const isAutomatic = mail.autoSubmitted ?? mail.kind !== 'reply';

  const to = [...new Set(mail.to.map(normaliseAddress))];
  const flagged = new Set(await findFlaggedAddresses(tx, [...to, ...(mail.cc ?? [])]));
  const cc = [...new Set((mail.cc ?? []).map(normaliseAddress))].filter((address) => !to.includes(address) && !flagged.has(address));
  const isHeld = to.some((address) => flagged.has(address));

  const id = await insertOutboundMail(tx, {
    kind: mail.kind,
    dedupe_key: mail.dedupeKey,
    ticket_id: ticket?.id ?? null,
    message_ref: mail.messageRef ?? null,
    from_address: mailbox?.name ? `${mailbox.name} <${fromAddress}>` : fromAddress,
    reply_to: ticket ? plusAddress(fromAddress, ticket.mailToken) : null,
    to_addresses: to,
    cc_addresses: cc,
    subject: rendered.subject,
    message_id: messageId,
    in_reply_to: thread.at(-1) ?? null,
    references_ids: boundReferences(thread),
    auto_submitted: isAutomatic,
    locale: rendered.language,
    text_body: rendered.text,
    html_body: rendered.html,
    headers: JSON.stringify(automaticHeaders(isAutomatic)),
    state: isHeld ? 'held' : 'queued',
    last_error: isHeld ? `address flagged: ${to.filter((address) => flagged.has(address)).join(', ')}` : null,
  });
  if (!id) return { id: (await findOutboundIdByDedupeKey(tx, mail.dedupeKey))!, queued: false };
  // Replies to this mail thread back to the case by In-Reply-To / References.
  if (isConversation) await recordOutgoingMessageId(tx, { messageId, ticketId: ticket.id, messageRef: mail.messageRef ?? null });
  await enqueueEvent(tx, 'mail.queued', { outboundMailId: id, kind: mail.kind, state: isHeld ? 'held' : 'queued', internal: true });
  return { id, queued: true };
}
