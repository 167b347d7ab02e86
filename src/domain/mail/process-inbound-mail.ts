/**
 * Turns one stored inbound mail into a case or a message (the `mail.received` outbox handler).
 *
 * Idempotent and crash-safe: files go to the content-addressed store first (a replay rewrites
 * nothing), then ONE transaction locks the inbound row, skips it unless it is still 'received',
 * creates the case or message and records the outcome. A crash anywhere replays to the same single
 * result. A mail that cannot be parsed is marked 'failed' and stays stored; any other error is
 * left to the outbox's retries. The lock and every lookup of the decision (Message-ID seen, sender,
 * thread candidates, the sender's recent cases) are one statement; the outcome and the Message-ID
 * record another; mailboxes come from memory (mailbox-directory.ts). The outbox subscriber runs
 * this for a batch of waiting mails at a time (process-inbound-mail-batch.ts).
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
import { findActorById } from '../identity/index.ts';
import { addMessageInTransaction, type TicketWithAccess } from '../tickets/index.ts';
import { attachBounce } from './attach-bounce.ts';
import { classifyMessage } from './classify-message.ts';
import { finishInboundMailWithMessageId, lockAndLookUpInboundMail, type InboundLookup, type LookupKeys } from './inbound-batch.repo.ts';
import {
  findInboundMail,
  isTicketParticipant,
  recordInboundMailAttempt,
  type InboundMailOutcome,
  type SenderUser,
  type StoredInboundMail,
} from './inbound-processing.repo.ts';
import { mailContent, type MailContent } from './mail-content.ts';
import type { ClassifiedMessage, MailAddress, ParsedMessage } from './mail.types.ts';
import { mailboxDirectory, type MailboxDirectory } from './mailbox-directory.ts';
import { baseAddress, openCaseFromMail } from './open-case-from-mail.ts';
import { parseMessage } from './parse-message.ts';
import { isSenderOverRateLimit, rateLimitWindow } from './rate-limit-sender.ts';
import { resolveSender } from './resolve-sender.ts';
import { lockThreadCase, pickThread, threadingKeys, threadIndexRoot, type ThreadMatch } from './thread-inbound-mail.ts';
import { storeMailAttachments } from './store-mail-attachments.ts';

export type InboundMailDeps = { database: Pick<Database, 'db'>; files: FileStore; config: Pick<Config, 'mailRateLimit'> };

export type ProcessedInboundMail = InboundMailOutcome | { state: 'skipped'; previousState: string | null };

type Parsed = { message: ParsedMessage; classified: ClassifiedMessage };

export type ReadInboundMail = Parsed | { error: string };

/** One stored mail, on its own (a test, a replayed event). */
export async function processInboundMail(deps: InboundMailDeps, inboundMailId: string): Promise<ProcessedInboundMail> {
  const db = deps.database.db;
  const stored = await findInboundMail(db, inboundMailId);
  if (!stored || stored.state !== 'received') return { state: 'skipped', previousState: stored?.state ?? null };
  const mailboxes = await mailboxDirectory(db);
  return processStoredInboundMail(deps, mailboxes, stored, await readInboundMail(stored), { skipLocked: false });
}

/**
 * The decision and its writes for a mail already read, in its own transaction. `skipLocked`: a mail
 * taken along in a batch is passed over (state null) when another run holds it, instead of waiting.
 * A failure is recorded on the mail (attempts, last error) and thrown.
 */
export async function processStoredInboundMail(
  deps: InboundMailDeps,
  mailboxes: MailboxDirectory,
  stored: StoredInboundMail,
  read: ReadInboundMail,
  options: { skipLocked: boolean },
): Promise<ProcessedInboundMail> {
  try {
    const [result] = await processInboundMailsTogether(deps, mailboxes, [{ stored, read }], { waitFor: options.skipLocked ? null : stored.id });
    return result!;
  } catch (error) {
    await recordInboundMailAttempt(deps.database.db, stored.id, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/**
 * Several mails of one lane (process-inbound-mail-batch.ts) in ONE transaction, one after the other,
 * each locked and decided exactly as alone: they commit together or not at all. Only `waitFor` is
 * waited for when another run holds it; another mail held elsewhere ends the run there (the mails
 * after it may depend on it) and the results stop at it. An error rolls everything back and is
 * thrown without being recorded: the caller then takes the mails one at a time.
 */
export async function processInboundMailsTogether(
  deps: InboundMailDeps,
  mailboxes: MailboxDirectory,
  items: readonly { stored: StoredInboundMail; read: ReadInboundMail }[],
  options: { waitFor: string | null },
): Promise<ProcessedInboundMail[]> {
  // Files first, outside the transaction: content-addressed, so a rolled-back or replayed run rewrites nothing.
  const prepared: { stored: StoredInboundMail; read: ReadInboundMail; parsed: Parsed | null; content: MailContent | null; keys: LookupKeys }[] = [];
  for (const { stored, read } of items) {
    const parsed = 'error' in read ? null : read;
    const needsFiles = parsed !== null && (parsed.classified.classification === 'normal' || parsed.classified.report !== null);
    const files = needsFiles ? await storeMailAttachments(deps.files, parsed.message.attachments) : [];
    prepared.push({ stored, read, parsed, content: parsed && mailContent(parsed.message, files), keys: lookupKeys(deps, stored, parsed) });
  }
  return deps.database.db.transaction().execute(async (tx) => {
    const results: ProcessedInboundMail[] = [];
    for (const { stored, read, parsed, content, keys } of prepared) {
      const lookup = await lockAndLookUpInboundMail(tx, stored.id, keys, { skipLocked: stored.id !== options.waitFor });
      if (lookup.state !== 'received') {
        results.push({ state: 'skipped', previousState: lookup.state });
        if (lookup.state === null) break;
        continue;
      }
      const decided = 'error' in read ? failedOutcome(read.error) : await decide(tx, deps, mailboxes, stored, read, content!, lookup);
      const outcome = stored.released ? { ...decided, outcome: { ...decided.outcome, released: true } } : decided;
      await finishInboundMailWithMessageId(tx, stored.id, outcome, incomingRecord(parsed?.message ?? null, outcome));
      results.push(outcome);
    }
    return results;
  });
}

export async function readInboundMail(stored: StoredInboundMail): Promise<ReadInboundMail> {
  const parsed = await parseMessage(stored.raw);
  if (!parsed.ok) return { error: `${parsed.error.code}: ${parsed.error.message}` };
  try {
    return { message: parsed.message, classified: classifyMessage(parsed.message, stored.envelopeFrom === null ? {} : { envelopeSender: stored.envelopeFrom }) };
  } catch (error) {
    return { error: `MAIL_UNREADABLE: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** What the lookups statement needs; only a person's mail (classification normal, a sender) is looked up. */
function lookupKeys(deps: InboundMailDeps, stored: StoredInboundMail, parsed: { message: ParsedMessage; classified: ClassifiedMessage } | null): LookupKeys {
  const none: LookupKeys = { messageId: null, fromAddress: null, tokens: [], messageIds: [], caseNumber: null, threadIndexRoot: null, rateWindow: null };
  if (!parsed || parsed.classified.classification !== 'normal' || !parsed.message.from?.address) return none;
  const thread = threadingKeys(parsed.message, stored.envelopeTo);
  return {
    ...thread,
    messageId: parsed.message.messageId,
    fromAddress: parsed.message.from.address.toLowerCase(),
    rateWindow: stored.released ? null : rateLimitWindow(deps.config.mailRateLimit, stored.receivedAt),
  };
}

function failedOutcome(error: string): InboundMailOutcome {
  return { state: 'failed', classification: null, fromAddress: null, ticketId: null, messageId: null, outcome: { action: 'failed' }, lastError: error.slice(0, 2000) };
}

/** A mail that became a case or a message is remembered by its Message-ID (threading, duplicates). */
function incomingRecord(message: ParsedMessage | null, outcome: InboundMailOutcome) {
  const action = outcome.outcome.action;
  if (!message?.messageId || !outcome.ticketId || !outcome.messageId || !['created', 'linked', 'threaded'].includes(String(action))) return null;
  return { messageId: message.messageId, ticketId: outcome.ticketId, messageRef: outcome.messageId, threadIndexRoot: threadIndexRoot(message.threadIndex) };
}

async function decide(
  tx: Tx,
  deps: InboundMailDeps,
  mailboxes: MailboxDirectory,
  stored: StoredInboundMail,
  { message, classified }: { message: ParsedMessage; classified: ClassifiedMessage },
  content: MailContent,
  lookup: InboundLookup,
): Promise<InboundMailOutcome> {
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
  if (mailboxes.addresses.has(baseAddress(from.address))) return ignored('from-own-mailbox');
  if (lookup.seen === 'out') return ignored('own-mail');
  if (lookup.seen === 'in') return { ...base, state: 'duplicate', outcome: { action: 'duplicate', messageId: message.messageId } };

  const sender: ParsedMessage & { from: MailAddress } = { ...message, from };
  const known = lookup.sender ?? undefined;
  if (known && !known.isActive) return ignored('sender-inactive');
  const match = pickThread(threadingKeys(message, stored.envelopeTo), lookup);
  const ticket = match ? await lockThreadCase(tx, match.ticketId) : undefined;
  let linkTo: { ticketId: string; reason: string } | null = null;
  if (match && ticket) {
    const mayJoin = await mayWriteInto(tx, ticket, from.address, known);
    if (mayJoin && ticket.status !== 'closed') return addReply(tx, stored, sender, ticket, match, known, content, base);
    if (mayJoin && known?.kind === 'agent') return ignored('case-closed', { ticketId: ticket.id });
    linkTo = { ticketId: ticket.id, reason: mayJoin ? 'case-closed' : 'not-a-participant' };
  }

  if (!stored.released && isSenderOverRateLimit(deps.config.mailRateLimit, lookup.senderCases)) {
    return { ...base, state: 'rate-limited', outcome: { action: 'rate-limited', limit: deps.config.mailRateLimit } };
  }
  const opened = await openCaseFromMail(tx, {
    inboundMailId: stored.id,
    mailbox: stored.mailboxId === null ? null : { id: stored.mailboxId, teamId: mailboxes.all.find((mailbox) => mailbox.id === stored.mailboxId)?.teamId },
    ownAddresses: mailboxes.addresses,
    envelopeTo: stored.envelopeTo,
    message: sender,
    knownSender: known ?? null,
    content,
    suppressAutoReply: classified.suppressAutoReply,
    linkTo,
  });
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
  const author = known ?? (await resolveSender(tx, message.from, null)).user;
  const actor = await findActorById(tx, author.id);
  if (!actor) throw new Error(`sender ${author.id} has no active account`);
  const { message: added } = await addMessageInTransaction(
    tx,
    actor,
    ticket,
    { body: content.body, channel: 'email' },
    { mail: { quotedBody: content.quotedBody, bodyHtml: content.bodyHtml, inboundMailId: stored.id, files: content.files } },
  );
  return { ...base, state: 'processed', ticketId: ticket.id, messageId: added.id, outcome: { action: 'threaded', threadedBy: match.by, author: author.kind } };
}
