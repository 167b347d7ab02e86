/**
 * Turns one stored inbound mail into a case or a message (the `mail.received` outbox handler).
 *
 * Idempotent and crash-safe: files go to the content-addressed store first (a replay rewrites
 * nothing), then ONE transaction locks the inbound row, skips it unless it is still 'received',
 * creates the case or message and records the outcome. A crash anywhere replays to the same single
 * result. A mail that cannot be parsed is marked 'failed' and stays stored; any other error is
 * left to the outbox's retries.
 *
 * Decisions, in order: machine mail (bounce, feedback, auto-reply) opens nothing — a report about a
 * mail we sent becomes an internal note on its case; our own mail coming back and a Message-ID seen
 * before are dropped; then threading (thread-inbound-mail.ts). A thread match joins the case only
 * when the sender is an agent, the requester, a participant or a contact of the case's
 * organisation and the case is not closed; otherwise a new case opens, linked to it. New cases are
 * rate-limited per sender; replies never are, nor is a mail an admin released (see
 * release-inbound-mail.ts: the row carries `outcome.released` until this run records its result).
 */
import type { Config } from '../../platform/config.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import type { FileStore } from '../../platform/file-store.ts';
import type { EventHandler } from '../../platform/outbox/processor.ts';
import { findActorById } from '../identity/index.ts';
import { addMessageInTransaction, findTicket, type TicketWithAccess } from '../tickets/index.ts';
import { attachBounce } from './attach-bounce.ts';
import { classifyMessage } from './classify-message.ts';
import {
  findInboundMail,
  finishInboundMail,
  findUserIdByAddress,
  isTicketParticipant,
  knownMessageIdDirection,
  listMailboxAddresses,
  lockInboundMail,
  recordInboundMailAttempt,
  recordMessageId,
  type InboundMailOutcome,
  type SenderUser,
  type StoredInboundMail,
} from './inbound-processing.repo.ts';
import { mailContent, type MailContent } from './mail-content.ts';
import type { ClassifiedMessage, MailAddress, ParsedMessage } from './mail.types.ts';
import { baseAddress, openCaseFromMail } from './open-case-from-mail.ts';
import { parseMessage } from './parse-message.ts';
import { isSenderOverRateLimit } from './rate-limit-sender.ts';
import { resolveSender } from './resolve-sender.ts';
import { findThread, threadingKeys, threadIndexRoot, type ThreadMatch } from './thread-inbound-mail.ts';
import { storeMailAttachments } from './store-mail-attachments.ts';

export type InboundMailDeps = { database: Pick<Database, 'db'>; files: FileStore; config: Pick<Config, 'mailRateLimit'> };

export type ProcessedInboundMail = InboundMailOutcome | { state: 'skipped'; previousState: string | null };

type Parsed = { message: ParsedMessage; classified: ClassifiedMessage };

export async function processInboundMail(deps: InboundMailDeps, inboundMailId: string): Promise<ProcessedInboundMail> {
  const db = deps.database.db;
  const stored = await findInboundMail(db, inboundMailId);
  if (!stored || stored.state !== 'received') return { state: 'skipped', previousState: stored?.state ?? null };
  const read = await readMail(stored);
  if ('error' in read) return finishAlone(deps, stored, failedOutcome(read.error));
  const { message, classified } = read;
  try {
    const needsFiles = classified.classification === 'normal' || classified.report !== null;
    const files = needsFiles ? await storeMailAttachments(deps.files, message.attachments) : [];
    const content = mailContent(message, files);
    return await db.transaction().execute(async (tx) => {
      const state = await lockInboundMail(tx, stored.id);
      if (state !== 'received') return { state: 'skipped' as const, previousState: state ?? null };
      const decided = await decide(tx, deps, stored, { message, classified }, content);
      const outcome = stored.released ? { ...decided, outcome: { ...decided.outcome, released: true } } : decided;
      await finishInboundMail(tx, stored.id, outcome);
      return outcome;
    });
  } catch (error) {
    await recordInboundMailAttempt(db, stored.id, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/** The outbox subscriber: one `mail.received` event, one run. */
export function inboundMailHandler(deps: InboundMailDeps): EventHandler {
  return {
    name: 'mail-intake',
    topics: ['mail.received'],
    handle: async (event) => {
      const id = event.payload.inboundMailId;
      if (typeof id === 'string') await processInboundMail(deps, id);
    },
  };
}

async function readMail(stored: StoredInboundMail): Promise<Parsed | { error: string }> {
  const parsed = await parseMessage(stored.raw);
  if (!parsed.ok) return { error: `${parsed.error.code}: ${parsed.error.message}` };
  try {
    return { message: parsed.message, classified: classifyMessage(parsed.message, stored.envelopeFrom === null ? {} : { envelopeSender: stored.envelopeFrom }) };
  } catch (error) {
    return { error: `MAIL_UNREADABLE: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function failedOutcome(error: string): InboundMailOutcome {
  return { state: 'failed', classification: null, fromAddress: null, ticketId: null, messageId: null, outcome: { action: 'failed' }, lastError: error.slice(0, 2000) };
}

/** Records an outcome decided without a case change (a mail that cannot be read), under the same lock. */
async function finishAlone(deps: InboundMailDeps, stored: StoredInboundMail, outcome: InboundMailOutcome): Promise<ProcessedInboundMail> {
  return deps.database.db.transaction().execute(async (tx) => {
    const state = await lockInboundMail(tx, stored.id);
    if (state !== 'received') return { state: 'skipped' as const, previousState: state ?? null };
    await finishInboundMail(tx, stored.id, outcome);
    return outcome;
  });
}

async function decide(tx: Tx, deps: InboundMailDeps, stored: StoredInboundMail, { message, classified }: Parsed, content: MailContent): Promise<InboundMailOutcome> {
  const from = message.from?.address ? { address: message.from.address.toLowerCase(), name: message.from.name } : null;
  const base = { classification: classified.classification, fromAddress: from?.address ?? stored.envelopeFrom?.toLowerCase() ?? null, ticketId: null, messageId: null };
  const ignored = (reason: string, extra: Record<string, unknown> = {}): InboundMailOutcome => ({ ...base, state: 'ignored', outcome: { action: 'ignored', reason, ...extra } });

  if (classified.classification !== 'normal') {
    const bounce = classified.classification === 'auto-reply' ? null : await attachBounce(tx, { inboundMailId: stored.id, message, classified, files: content.files });
    if (bounce?.ticketId) return { ...base, state: 'processed', ticketId: bounce.ticketId, messageId: bounce.messageId, outcome: { action: 'report-attached', flagged: bounce.flagged, reason: classified.reason } };
    if (bounce) return ignored(classified.classification, { detail: classified.reason, flagged: bounce.flagged });
    return ignored(classified.classification, { detail: classified.reason });
  }
  if (!from) return ignored('no-sender');
  if ((await listMailboxAddresses(tx)).includes(baseAddress(from.address))) return ignored('from-own-mailbox');
  if (message.messageId) {
    const seen = await knownMessageIdDirection(tx, message.messageId);
    if (seen === 'out') return ignored('own-mail');
    if (seen === 'in') return { ...base, state: 'duplicate', outcome: { action: 'duplicate', messageId: message.messageId } };
  }

  const sender: ParsedMessage & { from: MailAddress } = { ...message, from };
  const known = await findUserIdByAddress(tx, from.address);
  if (known && !known.isActive) return ignored('sender-inactive');
  const match = await findThread(tx, threadingKeys(message, stored.envelopeTo));
  const ticket = match ? await findTicket(tx, match.ticketId, { forUpdate: true }) : undefined;
  let linkTo: { ticketId: string; reason: string } | null = null;
  if (match && ticket) {
    const mayJoin = await mayWriteInto(tx, ticket, from.address, known);
    if (mayJoin && ticket.status !== 'closed') return addReply(tx, stored, sender, ticket, match, known, content, base);
    if (mayJoin && known?.kind === 'agent') return ignored('case-closed', { ticketId: ticket.id });
    linkTo = { ticketId: ticket.id, reason: mayJoin ? 'case-closed' : 'not-a-participant' };
  }

  if (!stored.released && (await isSenderOverRateLimit(tx, deps.config.mailRateLimit, { id: stored.id, fromAddress: from.address, receivedAt: stored.receivedAt }))) {
    return { ...base, state: 'rate-limited', outcome: { action: 'rate-limited', limit: deps.config.mailRateLimit } };
  }
  const opened = await openCaseFromMail(tx, {
    inboundMailId: stored.id,
    mailboxId: stored.mailboxId,
    envelopeTo: stored.envelopeTo,
    message: sender,
    content,
    suppressAutoReply: classified.suppressAutoReply,
    linkTo,
  });
  await recordIncomingId(tx, message, opened.ticket.id, opened.messageId);
  return {
    ...base,
    state: 'processed',
    ticketId: opened.ticket.id,
    messageId: opened.messageId,
    outcome: { action: linkTo ? 'linked' : 'created', sender: opened.sender.resolvedBy, ...(linkTo && { linkedTo: linkTo.ticketId, reason: linkTo.reason, threadedBy: match?.by }) },
  };
}

/** Agents, the requester, participants and contacts of the case's organisation write into a case by mail. */
async function mayWriteInto(tx: Tx, ticket: TicketWithAccess, address: string, known: SenderUser | undefined): Promise<boolean> {
  if (known?.kind === 'agent') return true;
  if (known && (known.id === ticket.requesterId || known.organizationId === ticket.organizationId)) return true;
  return isTicketParticipant(tx, ticket.id, address);
}

async function addReply(
  tx: Tx,
  stored: StoredInboundMail,
  message: ParsedMessage & { from: MailAddress },
  ticket: TicketWithAccess,
  match: ThreadMatch,
  known: SenderUser | undefined,
  content: MailContent,
  base: Pick<InboundMailOutcome, 'classification' | 'fromAddress'>,
): Promise<InboundMailOutcome> {
  // A participant nobody knew yet becomes a contact (by domain, else in triage) to author the message.
  const author = known ?? (await resolveSender(tx, message.from)).user;
  const actor = await findActorById(tx, author.id);
  if (!actor) throw new Error(`sender ${author.id} has no active account`);
  const { message: added } = await addMessageInTransaction(
    tx,
    actor,
    ticket,
    { body: content.body, channel: 'email' },
    { mail: { quotedBody: content.quotedBody, bodyHtml: content.bodyHtml, inboundMailId: stored.id, files: content.files } },
  );
  await recordIncomingId(tx, message, ticket.id, added.id);
  return { ...base, state: 'processed', ticketId: ticket.id, messageId: added.id, outcome: { action: 'threaded', threadedBy: match.by, author: author.kind } };
}

async function recordIncomingId(tx: Tx, message: ParsedMessage, ticketId: string, messageRef: string): Promise<void> {
  if (!message.messageId) return;
  await recordMessageId(tx, { messageId: message.messageId, ticketId, messageRef, direction: 'in', threadIndexRoot: threadIndexRoot(message.threadIndex) });
}
