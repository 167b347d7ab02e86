/**
 * SQL of the inbound mail processing: the stored mail, who may write into a case, the sender's
 * contact and organisation, CC'd participants, bounce flags. The lock with the threading, sender and
 * rate lookups, and the outcome, are in inbound-batch.repo.ts.
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

/** An attempt that failed on something other than the mail itself (the outbox retries it). */
export async function recordInboundMailAttempt(executor: Executor, id: string, error: string): Promise<void> {
  await executor
    .updateTable('inbound_mails')
    .set({ attempts: sql<number>`attempts + 1`, last_error: error.slice(0, 2000) })
    .where('id', '=', id)
    .execute();
}

// Threading: Message-ID spellings, who may write into the case a mail points at.

/** Bracket-less and bracketed spellings: stored ids are bracket-less, an outbound row may keep the brackets. */
export function spellings(messageIds: readonly string[]): string[] {
  return [...new Set(messageIds.flatMap((id) => [id, `<${id}>`]))];
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

// Mailboxes (read only: the mailbox context owns them).

export async function findMailboxTeamId(executor: Executor, mailboxId: string | null): Promise<string | null> {
  if (!mailboxId) return null;
  const row = await executor.selectFrom('mailboxes').select('team_id').where('id', '=', mailboxId).executeTakeFirst();
  return row?.team_id ?? null;
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

/** Accounts of several addresses at once (CC'd participants): lower-case address → user id. */
export async function findUserIdsByAddresses(executor: Executor, addresses: readonly string[]): Promise<Map<string, string>> {
  if (addresses.length === 0) return new Map();
  const rows = await executor
    .selectFrom('users')
    .select(['id', sql<string>`lower(email)`.as('address')])
    .where(sql<string>`lower(email)`, 'in', [...new Set(addresses.map((address) => address.toLowerCase()))])
    .execute();
  return new Map(rows.map((row) => [row.address, row.id]));
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
