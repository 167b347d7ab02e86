/**
 * A mail that continues no case (or may not join the one it points at) opens a new one: the sender
 * becomes the requester (contact → organisation, see resolve-sender.ts), the mailbox's team gets
 * it, CC'd people become participants, and a case the mail pointed at is linked as related.
 */
import type { Tx } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { SYSTEM_ACTOR } from '../identity/index.ts';
import { createTicketsInTransaction, CreateTicketInput, eventPayload, insertLink, type CreateTicketRequest, type Ticket } from '../tickets/index.ts';
import type { MailAddress, ParsedMessage } from './mail.types.ts';
import { ensureUnassignedOrganizationId, findMailboxTeamId, findUserIdsByAddresses, insertParticipants, type SenderUser } from './inbound-processing.repo.ts';
import type { MailContent } from './mail-content.ts';
import { resolveSender, type ResolvedSender } from './resolve-sender.ts';

const MAX_PARTICIPANTS = 50;

/** The mail's subject as a case subject: a foreign case's `[#n]` tag removed, never empty. */
export function caseSubject(subject: string): string {
  const cleaned = subject.replace(/\[#\d{1,9}\]\s*/g, '').replace(/\s+/g, ' ').trim();
  return (cleaned || '(no subject)').slice(0, 300);
}

/** Without its `+tag`: support+abc@example.test is the mailbox support@example.test. */
export function baseAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at).replace(/\+.*$/, '')}${address.slice(at)}`.toLowerCase();
}

/** To and CC people other than the sender and our own mailboxes (`ownAddresses`, lower-case). */
export function participantsOf(message: ParsedMessage, sender: string, envelopeTo: readonly string[], ownAddresses: ReadonlySet<string>): MailAddress[] {
  const own = new Set([...ownAddresses, ...envelopeTo.map(baseAddress), sender.toLowerCase()]);
  const seen = new Set<string>();
  return [...message.to, ...message.cc]
    .filter((address) => {
      const key = address.address.toLowerCase();
      if (own.has(key) || own.has(baseAddress(key)) || seen.has(key) || !key.includes('@')) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_PARTICIPANTS);
}

export type OpenedCase = { ticket: Ticket; messageId: string; sender: ResolvedSender; linkedTo: string | null };

export type OpenCaseFromMailInput = {
  inboundMailId: string;
  /** The mailbox the mail came to; `teamId` undefined when not known yet (read from the database). */
  mailbox: { id: string; teamId: string | null | undefined } | null;
  ownAddresses: ReadonlySet<string>;
  envelopeTo: readonly string[];
  message: ParsedMessage & { from: MailAddress };
  /** The sender's account as already looked up (null: none). */
  knownSender: SenderUser | null;
  content: MailContent;
  suppressAutoReply: boolean;
  linkTo: { ticketId: string; reason: string } | null;
};

/**
 * Everything about the new case decided before it is written: its requester (a new contact is
 * created here), the creation request, the CC'd participants. createTicketsInTransaction then
 * completeOpenedCase write it (openCaseFromMail does both); the mail intake writes the plans of
 * several mails without participants or link with one createTicketsInTransaction.
 */
export type PlannedCase = { request: CreateTicketRequest; sender: ResolvedSender; participants: MailAddress[]; linkTo: { ticketId: string; reason: string } | null };

export async function planCaseFromMail(tx: Tx, input: OpenCaseFromMailInput): Promise<PlannedCase> {
  const { message, content } = input;
  const sender = await resolveSender(tx, message.from, input.knownSender);
  // An agent writing to a mailbox from scratch has no customer organisation: the case waits in triage.
  const organizationId = sender.user.kind === 'contact' ? sender.user.organizationId! : await ensureUnassignedOrganizationId(tx);
  const ticketInput = CreateTicketInput.parse({
    subject: caseSubject(message.subject),
    body: content.body,
    requesterId: sender.user.id,
    organizationId,
    teamId: input.mailbox?.teamId !== undefined ? input.mailbox.teamId : await findMailboxTeamId(tx, input.mailbox?.id ?? null),
    channel: 'email',
  });
  const options = {
    mail: { quotedBody: content.quotedBody, bodyHtml: content.bodyHtml, inboundMailId: input.inboundMailId, files: content.files },
    eventExtra: { inboundMailId: input.inboundMailId, suppressAutoReply: input.suppressAutoReply, ...(input.linkTo && { linkedToTicketId: input.linkTo.ticketId }) },
  };
  const participants = participantsOf(message, message.from.address, input.envelopeTo, input.ownAddresses);
  return { request: { actor: SYSTEM_ACTOR, input: ticketInput, options }, sender, participants, linkTo: input.linkTo };
}

/** What follows the case's creation: its participants and its link to the case the mail referred to. */
export async function completeOpenedCase(tx: Tx, plan: PlannedCase, created: { ticket: Ticket; messageId: string | null }): Promise<OpenedCase> {
  const { ticket, messageId } = created;
  if (plan.participants.length > 0) {
    const users = await findUserIdsByAddresses(tx, plan.participants.map((participant) => participant.address));
    await insertParticipants(tx, ticket.id, plan.participants.map((participant) => ({ email: participant.address, userId: users.get(participant.address.toLowerCase()) ?? null })));
  }
  if (plan.linkTo) await linkToCase(tx, ticket, plan.linkTo);
  return { ticket, messageId: messageId!, sender: plan.sender, linkedTo: plan.linkTo?.ticketId ?? null };
}

export async function openCaseFromMail(tx: Tx, input: OpenCaseFromMailInput): Promise<OpenedCase> {
  const plan = await planCaseFromMail(tx, input);
  const [created] = await createTicketsInTransaction(tx, [plan.request]);
  return completeOpenedCase(tx, plan, created!);
}

/** The new case points at the one the mail referred to; only agents see links. */
async function linkToCase(tx: Tx, ticket: Ticket, target: { ticketId: string; reason: string }): Promise<void> {
  const link = await insertLink(tx, { ticketId: ticket.id, kind: 'related', targetTicketId: target.ticketId, externalRef: null, externalUrl: null, createdBy: null });
  const changes = { link, source: 'email', reason: target.reason };
  await recordAudit(tx, { subjectType: 'ticket', subjectId: ticket.id, ticketId: ticket.id, actorId: null, action: 'link.added', changes });
  await recordAudit(tx, { subjectType: 'ticket', subjectId: target.ticketId, ticketId: target.ticketId, actorId: null, action: 'link.added', changes });
  await enqueueEvent(tx, 'ticket.linked', eventPayload(ticket, { linkId: link.id }));
}
