/**
 * A bounce (or a complaint) about a mail we sent lands on the case that mail belonged to, as an
 * internal note with the diagnostic, and flags the failed recipient in mail_address_flags (outbound
 * mail to it is held, agents see the flag). A report about mail we never sent opens nothing.
 */
import type { Tx } from '../../platform/db/database.ts';
import { SYSTEM_ACTOR } from '../identity/index.ts';
import { addMessageInTransaction, findTicket } from '../tickets/index.ts';
import type { ClassifiedMessage, DeliveryReport, ParsedMessage } from './mail.types.ts';
import { findSentMail, flagAddresses } from './inbound-processing.repo.ts';
import type { StoredMailFile } from './store-mail-attachments.ts';

type Recipient = DeliveryReport['recipients'][number];

/** ticketId and messageId are null for a report about a mail of no case (a notification): the address is only flagged. */
export type AttachedBounce = { ticketId: string | null; messageId: string | null; flagged: string[] };

function hasFailed(recipient: Recipient): boolean {
  if (recipient.action) return recipient.action === 'failed';
  return recipient.status === null || recipient.status.startsWith('5');
}

function isDelayed(recipient: Recipient): boolean {
  return recipient.action === 'delayed' || (recipient.action === null && recipient.status?.startsWith('4') === true);
}

function describeRecipient(recipient: Recipient): string {
  return [recipient.address, recipient.action, recipient.status, recipient.diagnostic].filter((part) => part).join(' — ');
}

export function noteOfReport(message: ParsedMessage, classified: ClassifiedMessage, recipients: readonly Recipient[]): string {
  const heading = classified.classification === 'feedback' ? `Complaint (${classified.report?.feedbackType ?? 'feedback report'})` : 'Delivery report';
  const lines = [
    `${heading}: ${classified.reason}`,
    ...recipients.map((recipient) => `- ${describeRecipient(recipient)}`),
    '',
    `From: ${message.from?.address ?? '?'}`,
    `Subject: ${message.subject}`,
  ];
  return lines.join('\n').slice(0, 200_000);
}

export async function attachBounce(
  tx: Tx,
  input: { inboundMailId: string; message: ParsedMessage; classified: ClassifiedMessage; files: readonly StoredMailFile[] },
): Promise<AttachedBounce | null> {
  const { message, classified } = input;
  const report = classified.report ?? { recipients: [], originalMessageId: null, feedbackType: null };
  const referenced = [report.originalMessageId, message.inReplyTo, ...[...message.references].reverse()].filter((id): id is string => Boolean(id));
  const sent = await findSentMail(tx, [...new Set(referenced.map((id) => id.replace(/^<|>$/g, '')))]);
  if (!sent) return null;
  const isComplaint = classified.classification === 'feedback';
  const failed = isComplaint ? report.recipients : report.recipients.filter(hasFailed);
  const delayed = report.recipients.filter(isDelayed);
  // A report that names nobody about a mail sent to one address is about that address.
  const flagged = (failed.length > 0 ? failed.map((recipient) => recipient.address) : report.recipients.length === 0 && sent.recipients.length === 1 ? sent.recipients : []).map((address) =>
    address.toLowerCase(),
  );
  if (flagged.length === 0 && delayed.length === 0) return null;
  const ticket = sent.ticketId ? await findTicket(tx, sent.ticketId, { forUpdate: true }) : undefined;
  const reason = isComplaint ? 'complaint' : 'bounce';
  await flagAddresses(
    tx,
    flagged.map((address) => {
      const recipient = report.recipients.find((candidate) => candidate.address.toLowerCase() === address);
      return { address, reason, detail: { status: recipient?.status ?? null, diagnostic: recipient?.diagnostic ?? null, ticketId: ticket?.id ?? null, feedbackType: report.feedbackType }, inboundMailId: input.inboundMailId };
    }),
  );
  if (!ticket) return { ticketId: null, messageId: null, flagged };
  const shown = failed.length > 0 || delayed.length > 0 ? [...failed, ...delayed] : flagged.map((address) => ({ address, action: 'failed', status: null, diagnostic: null }));
  const { message: note } = await addMessageInTransaction(
    tx,
    SYSTEM_ACTOR,
    ticket,
    { body: noteOfReport(message, classified, shown), internal: true, channel: 'email' },
    { mail: { quotedBody: null, bodyHtml: null, inboundMailId: input.inboundMailId, files: input.files } },
  );
  return { ticketId: ticket.id, messageId: note.id, flagged };
}
