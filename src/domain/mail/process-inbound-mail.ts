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
 * this for a batch of waiting mails at a time (process-inbound-mail-batch.ts): then mails that do
 * not depend on one another are locked and looked up in one statement, and their new cases,
 * replies and outcomes are written a few statements for all (DeferredWrites below).
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
import { findActorById, type Actor } from '../identity/index.ts';
import { addMessagesInTransaction, createTicketsInTransaction, type AddMessageRequest, type TicketWithAccess } from '../tickets/index.ts';
import { attachBounce } from './attach-bounce.ts';
import { classifyMessage } from './classify-message.ts';
import { finishInboundMailsWithMessageIds, lockAndLookUpInboundMail, lockAndLookUpInboundMails, type InboundLookup, type LookupKeys } from './inbound-batch.repo.ts';
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
import { baseAddress, completeOpenedCase, planCaseFromMail, type OpenedCase, type PlannedCase } from './open-case-from-mail.ts';
import { parseMessage } from './parse-message.ts';
import { isSenderOverRateLimit, rateLimitWindow } from './rate-limit-sender.ts';
import { resolveSender } from './resolve-sender.ts';
import { lockThreadCase, lockThreadCases, pickThread, threadingKeys, threadIndexRoot, type ThreadMatch } from './thread-inbound-mail.ts';
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
 *
 * Statements: consecutive mails taken along that share no lane key (sender, Message-IDs,
 * Thread-Index root) are locked and looked up in one, and the cases their replies point at are
 * locked in one more; the writes wait in DeferredWrites until a mail that may read them comes, or
 * the end — so a commit of independent mails costs about one lookup, one case lock and four writes
 * (creation facts, cases, replies, outcomes) besides begin and commit.
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
    const deferred = new DeferredWrites(tx);
    const dependsOn = prepared.map(({ stored, read }) => laneKeys({ stored, read }));
    let start = 0;
    run: while (start < prepared.length) {
      const end = independentRunEnd(prepared, dependsOn, start, options.waitFor);
      const run = prepared.slice(start, end);
      // A mail that may depend on one whose writes are held back (same sender, a Message-ID, a Thread-Index root) sees them first.
      if (dependsOn.slice(start, end).some((keys) => deferred.touches(keys))) await deferred.flush();
      const lookups =
        run.length === 1
          ? [await lockAndLookUpInboundMail(tx, run[0]!.stored.id, run[0]!.keys, { skipLocked: run[0]!.stored.id !== options.waitFor })]
          : await lockAndLookUpInboundMails(tx, run.map((item) => ({ id: item.stored.id, keys: item.keys })));
      // The cases the run's replies point at, locked in one statement (a mail of the run writes into none of the others' cases but through DeferredWrites).
      const candidates = run.flatMap((item, offset) => {
        const match = lookups[offset]!.state === 'received' ? threadCandidate(item.stored, item.read, lookups[offset]!, mailboxes) : null;
        return match ? [match.ticketId] : [];
      });
      if (candidates.length > 1) deferred.holdLockedCases(await lockThreadCases(tx, candidates));
      for (const [offset, { stored, read, parsed, content }] of run.entries()) {
        const lookup = lookups[offset]!;
        if (lookup.state !== 'received') {
          deferred.results.push({ state: 'skipped', previousState: lookup.state });
          if (lookup.state === null) break run; // the mails after it may depend on it (a mail of the run locked here waits for its own event)
          continue;
        }
        const decided = 'error' in read ? failedOutcome(read.error) : await decide(tx, deps, mailboxes, stored, read, content!, lookup, deferred);
        deferred.finish(stored, parsed?.message ?? null, dependsOn[start + offset]!, decided);
      }
      start = end;
    }
    await deferred.flush();
    return deferred.results;
  });
}

/** Mails looked up (and locked) together at most. */
const LOOKUP_RUN = 16;

/**
 * The end of the run of mails from `start` that are locked and looked up in one statement: mails
 * taken along (never the one the event waits for, which is locked on its own and may wait) sharing
 * no lane key, so that no lookup would read what processing another of them writes.
 */
function independentRunEnd(prepared: readonly { stored: StoredInboundMail }[], dependsOn: readonly string[][], start: number, waitFor: string | null): number {
  if (prepared[start]!.stored.id === waitFor) return start + 1;
  const seen = new Set<string>(dependsOn[start]);
  let end = start + 1;
  while (end < prepared.length && end - start < LOOKUP_RUN && prepared[end]!.stored.id !== waitFor && !dependsOn[end]!.some((key) => seen.has(key))) {
    for (const key of dependsOn[end]!) seen.add(key);
    end += 1;
  }
  return end;
}

/** An outcome known now, or once the held-back writes it waits for are done. */
type Decided = InboundMailOutcome | (() => InboundMailOutcome);

/**
 * The writes of a lane's mails held back so that several go in one statement each: new cases
 * without participants or link (createTicketsInTransaction), replies on distinct cases
 * (addMessagesInTransaction), and the outcomes with their Message-IDs. Each mail is still decided
 * as alone: before a mail that may depend on a held-back one (lane keys in common: the sender, whose
 * rate limit counts its cases; a Message-ID; a Thread-Index root) and before anything else that
 * could read what they change (another reply on the same case, a bounce note, a case with
 * participants or a link), they are written. A case number or reply token can only name a case
 * committed before, never a held-back one. Everything is in the lane's one transaction.
 */
class DeferredWrites {
  readonly results: ProcessedInboundMail[] = [];
  private keys = new Set<string>();
  private cases: { plan: PlannedCase; done: (opened: OpenedCase) => void }[] = [];
  private replies: { request: AddMessageRequest; done: (messageId: string) => void }[] = [];
  private finishes: { id: string; index: number; released: boolean; message: ParsedMessage | null; decided: Decided }[] = [];
  /** Cases locked ahead for the mails of a run, as read then: forgotten at the next flush (a reply written may move one). */
  private lockedCases = new Map<string, TicketWithAccess>();

  private readonly tx: Tx;

  constructor(tx: Tx) {
    this.tx = tx;
  }

  touches(keys: readonly string[]): boolean {
    return keys.some((key) => this.keys.has(key));
  }

  hasReplyOn(ticketId: string): boolean {
    return this.replies.some((reply) => reply.request.ticket.id === ticketId);
  }

  holdLockedCases(cases: Map<string, TicketWithAccess>): void {
    this.lockedCases = cases;
  }

  /** A case locked ahead, when it is still as read (no reply written or held back on it since) and not merged away. */
  lockedCase(ticketId: string): TicketWithAccess | undefined {
    const ticket = this.lockedCases.get(ticketId);
    return ticket && !ticket.mergedIntoId && !this.hasReplyOn(ticketId) ? ticket : undefined;
  }

  openCase(plan: PlannedCase, done: (opened: OpenedCase) => void): void {
    this.cases.push({ plan, done });
  }

  addReply(request: AddMessageRequest, done: (messageId: string) => void): void {
    this.replies.push({ request, done });
  }

  finish(stored: StoredInboundMail, message: ParsedMessage | null, keys: readonly string[], decided: Decided): void {
    for (const key of keys) this.keys.add(key);
    this.finishes.push({ id: stored.id, index: this.results.length, released: stored.released, message, decided });
    this.results.push({ state: 'skipped', previousState: null }); // its outcome once written
  }

  async flush(): Promise<void> {
    const { cases, replies, finishes } = this;
    this.lockedCases = new Map();
    this.keys = new Set();
    this.cases = [];
    this.replies = [];
    this.finishes = [];
    const created = await createTicketsInTransaction(this.tx, cases.map((item) => item.plan.request));
    for (const [index, item] of cases.entries()) item.done(await completeOpenedCase(this.tx, item.plan, created[index]!));
    const added = await addMessagesInTransaction(this.tx, replies.map((item) => item.request));
    replies.forEach((item, index) => item.done(added[index]!.messageId));
    const finished = finishes.map((item) => {
      const decided = typeof item.decided === 'function' ? item.decided() : item.decided;
      const outcome = item.released ? { ...decided, outcome: { ...decided.outcome, released: true } } : decided;
      this.results[item.index] = outcome;
      return { id: item.id, result: outcome, incoming: incomingRecord(item.message, outcome) };
    });
    await finishInboundMailsWithMessageIds(this.tx, finished);
  }
}

/** What a mail may depend on in another mail of its batch: its sender, the Message-IDs it names or carries, its Thread-Index root. */
export function laneKeys({ stored, read }: { stored: StoredInboundMail; read: ReadInboundMail }): string[] {
  if ('error' in read) return [];
  const { message } = read;
  const sender = message.from?.address?.toLowerCase() ?? stored.envelopeFrom?.toLowerCase();
  const ids = [message.messageId, message.inReplyTo, ...message.references].filter((id): id is string => Boolean(id));
  const threadRoot = threadIndexRoot(message.threadIndex);
  return [...(sender ? [`from:${sender}`] : []), ...ids.map((id) => `id:${id}`), ...(threadRoot ? [`thread:${threadRoot}`] : [])];
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
  deferred: DeferredWrites,
): Promise<Decided> {
  const from = message.from?.address ? { address: message.from.address.toLowerCase(), name: message.from.name } : null;
  const base = { classification: classified.classification, fromAddress: from?.address ?? stored.envelopeFrom?.toLowerCase() ?? null, ticketId: null, messageId: null };
  const ignored = (reason: string, extra: Record<string, unknown> = {}): InboundMailOutcome => ({ ...base, state: 'ignored', outcome: { action: 'ignored', reason, ...extra } });

  if (classified.classification !== 'normal') {
    if (classified.classification !== 'auto-reply') await deferred.flush(); // the note reads and touches its case
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
  if (match && deferred.hasReplyOn(match.ticketId)) await deferred.flush(); // read the case as that reply left it
  let ticket = match ? (deferred.lockedCase(match.ticketId) ?? (await lockThreadCase(tx, match.ticketId))) : undefined;
  if (match && ticket && deferred.hasReplyOn(ticket.id)) {
    await deferred.flush(); // merged into a case a held-back reply goes to
    ticket = await lockThreadCase(tx, match.ticketId);
  }
  let linkTo: { ticketId: string; reason: string } | null = null;
  if (match && ticket) {
    const mayJoin = await mayWriteInto(tx, ticket, from.address, known);
    if (mayJoin && ticket.status !== 'closed') return addReply(tx, stored, sender, ticket, match, known, lookup.senderActor, content, base, deferred);
    if (mayJoin && known?.kind === 'agent') return ignored('case-closed', { ticketId: ticket.id });
    linkTo = { ticketId: ticket.id, reason: mayJoin ? 'case-closed' : 'not-a-participant' };
  }

  if (!stored.released && isSenderOverRateLimit(deps.config.mailRateLimit, lookup.senderCases)) {
    return { ...base, state: 'rate-limited', outcome: { action: 'rate-limited', limit: deps.config.mailRateLimit } };
  }
  const plan = await planCaseFromMail(tx, {
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
  const outcomeOf = (opened: OpenedCase): InboundMailOutcome => ({
    ...base,
    state: 'processed',
    ticketId: opened.ticket.id,
    messageId: opened.messageId,
    outcome: { action: linkTo ? 'linked' : 'created', sender: opened.sender.resolvedBy, ...(linkTo && { linkedTo: linkTo.ticketId, reason: linkTo.reason, threadedBy: match?.by }) },
  });
  if (plan.participants.length > 0 || plan.linkTo) {
    // Written now, after the held-back ones (case numbers follow arrival order).
    await deferred.flush();
    const [created] = await createTicketsInTransaction(tx, [plan.request]);
    return outcomeOf(await completeOpenedCase(tx, plan, created!));
  }
  let opened: OpenedCase | null = null;
  deferred.openCase(plan, (value) => (opened = value));
  return () => outcomeOf(opened!);
}

/** The case decide() would look at for this mail (a person's mail, not ours, not seen, from an active or unknown sender), or null. */
function threadCandidate(stored: StoredInboundMail, read: ReadInboundMail, lookup: InboundLookup, mailboxes: MailboxDirectory): ThreadMatch | null {
  if ('error' in read || read.classified.classification !== 'normal') return null;
  const address = read.message.from?.address?.toLowerCase();
  if (!address || mailboxes.addresses.has(baseAddress(address)) || lookup.seen !== null) return null;
  if (lookup.sender && !lookup.sender.isActive) return null;
  return pickThread(threadingKeys(read.message, stored.envelopeTo), lookup);
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
  knownActor: Actor | null,
  content: MailContent,
  base: Pick<InboundMailOutcome, 'classification' | 'fromAddress'>,
  deferred: DeferredWrites,
): Promise<Decided> {
  // A participant nobody knew yet becomes a contact (by domain, else in triage) to author the message.
  const author = known ?? (await resolveSender(tx, message.from, null)).user;
  const actor = (known && knownActor) || (await findActorById(tx, author.id));
  if (!actor) throw new Error(`sender ${author.id} has no active account`);
  let messageId: string | null = null;
  deferred.addReply(
    {
      actor,
      ticket,
      input: { body: content.body, channel: 'email' },
      options: { mail: { quotedBody: content.quotedBody, bodyHtml: content.bodyHtml, inboundMailId: stored.id, files: content.files } },
    },
    (id) => (messageId = id),
  );
  return () => ({ ...base, state: 'processed', ticketId: ticket.id, messageId: messageId!, outcome: { action: 'threaded', threadedBy: match.by, author: author.kind } });
}
