/**
 * SQL of the inbound mail processing: the stored mail's state, threading lookups (reply token,
 * Message-IDs we stored or sent, case number, Thread-Index root), who may write into a case, the
 * sender's contact and organisation, CC'd participants, the per-sender rate, bounce flags.
 */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/db/database.ts';

export type StoredInboundMail = {
  id: string;
  state: string;
  raw: Buffer;
  mailboxId: string | null;
  envelopeFrom: string | null;
  envelopeTo: string[];
  receivedAt: Date;
  /** An admin released it (it was rate-limited or failed): the per-sender rate limit no longer applies. */
  released: boolean;
};

export async function findInboundMail(executor: Executor, id: string): Promise<StoredInboundMail | undefined> {
  const row = await executor
    .selectFrom('inbound_mails')
    .select(['id', 'state', 'raw', 'mailbox_id', 'envelope_from', 'envelope_to', 'received_at', 'outcome'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const outcome = typeof row.outcome === 'string' ? (JSON.parse(row.outcome) as Record<string, unknown>) : row.outcome;
  const released = row.state === 'received' && outcome?.released === true;
  return { id: row.id, state: row.state, raw: row.raw, mailboxId: row.mailbox_id, envelopeFrom: row.envelope_from, envelopeTo: row.envelope_to, receivedAt: row.received_at, released };
}

/** Locks the stored mail for its one processing run; returns its state (undefined when gone). */
export async function lockInboundMail(tx: Tx, id: string): Promise<string | undefined> {
  const row = await tx.selectFrom('inbound_mails').select('state').where('id', '=', id).forUpdate().executeTakeFirst();
  return row?.state;
}

export type InboundMailState = 'processed' | 'ignored' | 'duplicate' | 'rate-limited' | 'failed';

export type InboundMailOutcome = {
  state: InboundMailState;
  classification: 'normal' | 'auto-reply' | 'bounce' | 'feedback' | null;
  fromAddress: string | null;
  ticketId: string | null;
  messageId: string | null;
  outcome: Record<string, unknown>;
  lastError?: string | null;
};

export async function finishInboundMail(executor: Executor, id: string, result: InboundMailOutcome): Promise<void> {
  await executor
    .updateTable('inbound_mails')
    .set({
      state: result.state,
      classification: result.classification,
      from_address: result.fromAddress,
      ticket_id: result.ticketId,
      created_message_id: result.messageId,
      outcome: JSON.stringify(result.outcome),
      last_error: result.lastError ?? null,
      attempts: sql<number>`attempts + 1`,
      processed_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** An attempt that failed on something other than the mail itself (the outbox retries it). */
export async function recordInboundMailAttempt(executor: Executor, id: string, error: string): Promise<void> {
  await executor
    .updateTable('inbound_mails')
    .set({ attempts: sql<number>`attempts + 1`, last_error: error.slice(0, 2000) })
    .where('id', '=', id)
    .execute();
}

// Threading.

/** The case a merged case lives on in (a merge moves the conversation). */
async function followMerges(executor: Executor, ticketId: string | undefined): Promise<string | undefined> {
  let current = ticketId;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const row = await executor.selectFrom('tickets').select('merged_into_id').where('id', '=', current).executeTakeFirst();
    if (!row?.merged_into_id) return current;
    current = row.merged_into_id;
  }
  return current;
}

export async function findTicketIdByToken(executor: Executor, tokens: readonly string[]): Promise<string | undefined> {
  if (tokens.length === 0) return undefined;
  const row = await executor.selectFrom('tickets').select('id').where('mail_token', 'in', [...tokens]).orderBy('created_at').executeTakeFirst();
  return followMerges(executor, row?.id);
}

/** Bracket-less and bracketed spellings: stored ids are bracket-less, an outbound row may keep the brackets. */
function spellings(messageIds: readonly string[]): string[] {
  return [...new Set(messageIds.flatMap((id) => [id, `<${id}>`]))];
}

/** A Message-ID we stored (in) or sent (out), most recent reference first. */
export async function findTicketIdByMessageIds(executor: Executor, messageIds: readonly string[]): Promise<string | undefined> {
  if (messageIds.length === 0) return undefined;
  const ids = spellings(messageIds);
  const known = await executor.selectFrom('mail_message_ids').select(['message_id', 'ticket_id']).where('message_id', 'in', ids).execute();
  const sent = await executor
    .selectFrom('outbound_mails')
    .select(['message_id', 'ticket_id'])
    .where('message_id', 'in', ids)
    .where('ticket_id', 'is not', null)
    .execute();
  const byId = new Map([...known, ...sent].map((row) => [row.message_id.replace(/^<|>$/g, ''), row.ticket_id!]));
  // In-Reply-To comes first in the caller's list, then References from the newest.
  const ticketId = messageIds.map((id) => byId.get(id)).find((id) => id !== undefined);
  return followMerges(executor, ticketId);
}

export async function findTicketIdByNumber(executor: Executor, number: number): Promise<string | undefined> {
  const row = await executor.selectFrom('tickets').select('id').where('number', '=', number).executeTakeFirst();
  return followMerges(executor, row?.id);
}

export async function findTicketIdByThreadIndexRoot(executor: Executor, root: string): Promise<string | undefined> {
  const row = await executor
    .selectFrom('mail_message_ids')
    .select('ticket_id')
    .where('thread_index_root', '=', root)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return followMerges(executor, row?.ticket_id);
}

/** How a Message-ID is already known: 'in' (we stored this mail before), 'out' (we sent it), or undefined. */
export async function knownMessageIdDirection(executor: Executor, messageId: string): Promise<'in' | 'out' | undefined> {
  const ids = spellings([messageId]);
  const known = await executor.selectFrom('mail_message_ids').select('direction').where('message_id', 'in', ids).executeTakeFirst();
  if (known) return known.direction as 'in' | 'out';
  const sent = await executor.selectFrom('outbound_mails').select('id').where('message_id', 'in', ids).executeTakeFirst();
  return sent ? 'out' : undefined;
}

export async function isTicketParticipant(executor: Executor, ticketId: string, address: string): Promise<boolean> {
  const row = await executor
    .selectFrom('ticket_participants')
    .select('email')
    .where('ticket_id', '=', ticketId)
    .where(sql<string>`lower(email)`, '=', address.toLowerCase())
    .executeTakeFirst();
  return row !== undefined;
}

export async function recordMessageId(
  executor: Executor,
  row: { messageId: string; ticketId: string; messageRef: string | null; direction: 'in' | 'out'; threadIndexRoot: string | null },
): Promise<void> {
  await executor
    .insertInto('mail_message_ids')
    .values({ message_id: row.messageId, ticket_id: row.ticketId, message_ref: row.messageRef, direction: row.direction, thread_index_root: row.threadIndexRoot })
    .onConflict((conflict) => conflict.column('message_id').doNothing())
    .execute();
}

// Mailboxes (read only: the mailbox context owns them).

export async function findMailboxTeamId(executor: Executor, mailboxId: string | null): Promise<string | null> {
  if (!mailboxId) return null;
  const row = await executor.selectFrom('mailboxes').select('team_id').where('id', '=', mailboxId).executeTakeFirst();
  return row?.team_id ?? null;
}

export async function listMailboxAddresses(executor: Executor): Promise<string[]> {
  const rows = await executor.selectFrom('mailboxes').select('address').execute();
  return rows.map((row) => row.address.toLowerCase());
}

// Sender → contact → organisation.

export type SenderUser = { id: string; kind: 'agent' | 'contact'; organizationId: string | null; isActive: boolean };

export async function findUserIdByAddress(executor: Executor, address: string): Promise<SenderUser | undefined> {
  const row = await executor
    .selectFrom('users')
    .select(['id', 'kind', 'organization_id', 'is_active'])
    .where(sql<string>`lower(email)`, '=', address.toLowerCase())
    .executeTakeFirst();
  return row ? { id: row.id, kind: row.kind, organizationId: row.organization_id, isActive: row.is_active } : undefined;
}

/** The organisation claiming the domain or its closest parent domain (mail.northwind.example → northwind.example). */
export async function findOrganizationIdByDomains(executor: Executor, domains: readonly string[]): Promise<string | undefined> {
  if (domains.length === 0) return undefined;
  const rows = await executor
    .selectFrom('organizations')
    .select(['id', 'domains'])
    .where(sql<boolean>`domains && ${sql.val([...domains])}::text[]`)
    .where('is_unassigned', '=', false)
    .execute();
  for (const domain of domains) {
    const match = rows.find((row) => row.domains.some((claimed) => claimed.toLowerCase() === domain));
    if (match) return match.id;
  }
  return undefined;
}

/** The triage organisation for senders nobody knows; created on first use (one, whatever the race). */
export async function ensureUnassignedOrganizationId(tx: Tx): Promise<string> {
  const existing = await tx.selectFrom('organizations').select('id').where('is_unassigned', '=', true).orderBy('created_at').executeTakeFirst();
  if (existing) return existing.id;
  await tx
    .insertInto('organizations')
    .values({ name: 'Unassigned', is_unassigned: true })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
  const created = await tx.selectFrom('organizations').select('id').where('is_unassigned', '=', true).orderBy('created_at').executeTakeFirst();
  if (created) return created.id;
  // An organisation already holds the name "Unassigned" without being the triage one.
  const row = await tx.insertInto('organizations').values({ name: 'Unassigned (email triage)', is_unassigned: true }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** A customer contact for a sender address; an existing user with that address wins the race. */
export async function insertContact(tx: Tx, contact: { email: string; name: string; organizationId: string }): Promise<{ user: SenderUser; isNew: boolean }> {
  const inserted = await tx
    .insertInto('users')
    .values({ email: contact.email.toLowerCase(), name: contact.name, kind: 'contact', roles: ['customer'], organization_id: contact.organizationId })
    .onConflict((conflict) => conflict.doNothing())
    .returning(['id', 'kind', 'organization_id', 'is_active'])
    .executeTakeFirst();
  if (inserted) return { user: { id: inserted.id, kind: inserted.kind, organizationId: inserted.organization_id, isActive: inserted.is_active }, isNew: true };
  const existing = await findUserIdByAddress(tx, contact.email);
  if (!existing) throw new Error(`contact ${contact.email} could not be created`);
  return { user: existing, isNew: false };
}

export async function insertParticipants(tx: Tx, ticketId: string, participants: readonly { email: string; userId: string | null }[]): Promise<void> {
  if (participants.length === 0) return;
  await tx
    .insertInto('ticket_participants')
    .values(participants.map((participant) => ({ ticket_id: ticketId, email: participant.email.toLowerCase(), user_id: participant.userId })))
    .onConflict((conflict) => conflict.columns(['ticket_id', 'email']).doNothing())
    .execute();
}

// Rate limit.

/** Cases opened by mail from this address in the window ending at `at` (the mail being processed excluded). */
export async function countCasesOpenedBySender(executor: Executor, address: string, window: { from: Date; to: Date }, exceptId: string): Promise<number> {
  const row = await executor
    .selectFrom('inbound_mails')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where(sql<string>`lower(from_address)`, '=', address.toLowerCase())
    .where('received_at', '>', window.from)
    .where('received_at', '<=', window.to)
    .where('state', '=', 'processed')
    .where(sql<boolean>`outcome->>'action' in ('created', 'linked')`)
    .where('id', '!=', exceptId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

// Bounces.

/** The mail we sent that a bounce returns: its case and recipients. */
export async function findSentMail(executor: Executor, messageIds: readonly string[]): Promise<{ ticketId: string | null; recipients: string[] } | undefined> {
  if (messageIds.length === 0) return undefined;
  const ids = spellings(messageIds);
  const sent = await executor
    .selectFrom('outbound_mails')
    .select(['ticket_id', 'to_addresses', 'cc_addresses'])
    .where('message_id', 'in', ids)
    .executeTakeFirst();
  if (sent) return { ticketId: sent.ticket_id, recipients: [...sent.to_addresses, ...sent.cc_addresses].map((address) => address.toLowerCase()) };
  const known = await executor
    .selectFrom('mail_message_ids')
    .select('ticket_id')
    .where('message_id', 'in', ids)
    .where('direction', '=', 'out')
    .executeTakeFirst();
  return known ? { ticketId: known.ticket_id, recipients: [] } : undefined;
}

export async function flagAddresses(tx: Tx, flags: readonly { address: string; reason: string; detail: Record<string, unknown>; inboundMailId: string }[]): Promise<void> {
  for (const flag of flags) {
    await tx
      .insertInto('mail_address_flags')
      .values({ address: flag.address.toLowerCase(), reason: flag.reason, detail: JSON.stringify(flag.detail), inbound_mail_id: flag.inboundMailId })
      .onConflict((conflict) =>
        conflict.column('address').doUpdateSet({ reason: flag.reason, detail: JSON.stringify(flag.detail), inbound_mail_id: flag.inboundMailId }),
      )
      .execute();
  }
}
