import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { OutboundMailsTable, OutboundMailState } from '../../platform/db/schema.ts';

export type MailCase = { id: string; number: number; subject: string; mailToken: string; requesterId: string; status: string };

export async function findMailCase(executor: Executor, ticketId: string): Promise<MailCase | null> {
  const row = await executor.selectFrom('tickets').select(['id', 'number', 'subject', 'mail_token', 'requester_id', 'status']).where('id', '=', ticketId).executeTakeFirst();
  return row ? { id: row.id, number: row.number, subject: row.subject, mailToken: row.mail_token, requesterId: row.requester_id, status: row.status } : null;
}

/** The address mail about a case comes from: the mailbox its first mail came in through, else the first active mailbox. */
export async function findSendingMailbox(executor: Executor, ticketId: string | null): Promise<{ address: string; name: string } | null> {
  if (ticketId) {
    const viaCase = await executor
      .selectFrom('inbound_mails')
      .innerJoin('mailboxes', 'mailboxes.id', 'inbound_mails.mailbox_id')
      .select(['mailboxes.address', 'mailboxes.name'])
      .where('inbound_mails.ticket_id', '=', ticketId)
      .orderBy('inbound_mails.received_at', 'asc')
      .limit(1)
      .executeTakeFirst();
    if (viaCase) return viaCase;
  }
  const first = await executor.selectFrom('mailboxes').select(['address', 'name']).where('is_active', '=', true).orderBy('created_at', 'asc').orderBy('id').limit(1).executeTakeFirst();
  return first ?? null;
}

/** Every Message-ID of the case's conversation, oldest first. */
export async function listThreadMessageIds(executor: Executor, ticketId: string): Promise<string[]> {
  const rows = await executor.selectFrom('mail_message_ids').select('message_id').where('ticket_id', '=', ticketId).orderBy('created_at', 'asc').orderBy('message_id').execute();
  return rows.map((row) => row.message_id);
}

export async function recordOutgoingMessageId(executor: Executor, row: { messageId: string; ticketId: string; messageRef: string | null }): Promise<void> {
  await executor
    .insertInto('mail_message_ids')
    .values({ message_id: row.messageId, ticket_id: row.ticketId, message_ref: row.messageRef, direction: 'out' })
    .onConflict((conflict) => conflict.column('message_id').doNothing())
    .execute();
}

export async function findFlaggedAddresses(executor: Executor, addresses: string[]): Promise<string[]> {
  if (addresses.length === 0) return [];
  const rows = await executor
    .selectFrom('mail_address_flags')
    .select('address')
    .where(sql<string>`lower(address)`, 'in', addresses.map((address) => address.toLowerCase()))
    .execute();
  return rows.map((row) => row.address.toLowerCase());
}

/** Inserts the mail unless its dedupe key is known; null when it already existed. */
export async function insertOutboundMail(executor: Executor, row: Insertable<OutboundMailsTable>): Promise<string | null> {
  const inserted = await executor
    .insertInto('outbound_mails')
    .values(row)
    .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

export async function findOutboundIdByDedupeKey(executor: Executor, dedupeKey: string): Promise<string | null> {
  const row = await executor.selectFrom('outbound_mails').select('id').where('dedupe_key', '=', dedupeKey).executeTakeFirst();
  return row?.id ?? null;
}

export type OutboundMailRow = Selectable<OutboundMailsTable>;

/**
 * Claims due mail for one sending attempt: queued rows whose time has come, and rows left in
 * `sending` by a node that died (lease expired). SKIP LOCKED keeps nodes off each other's rows.
 */
export async function claimDueOutboundMails(executor: Executor, options: { limit: number; leaseMs: number }): Promise<OutboundMailRow[]> {
  return executor
    .updateTable('outbound_mails')
    .set({ state: 'sending', locked_until: sql<Date>`now() + ${`${options.leaseMs} milliseconds`}::interval` })
    .where(
      'id',
      'in',
      executor
        .selectFrom('outbound_mails')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('state', '=', 'queued'), eb('next_attempt_at', '<=', sql<Date>`now()`)]),
            eb.and([eb('state', '=', 'sending'), eb('locked_until', '<', sql<Date>`now()`)]),
          ]),
        )
        .orderBy('next_attempt_at')
        .limit(options.limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
}

export async function markOutboundSent(executor: Executor, id: string): Promise<void> {
  await executor
    .updateTable('outbound_mails')
    .set({ state: 'sent', sent_at: sql<Date>`now()`, locked_until: null, last_error: null, attempts: sql<number>`attempts + 1` })
    .where('id', '=', id)
    .where('state', '=', 'sending')
    .execute();
}

export async function markOutboundFailed(executor: Executor, id: string, update: { isDead: boolean; delayMs: number; error: string }): Promise<void> {
  await executor
    .updateTable('outbound_mails')
    .set({
      state: update.isDead ? 'dead' : 'queued',
      attempts: sql<number>`attempts + 1`,
      last_error: update.error.slice(0, 2000),
      locked_until: null,
      next_attempt_at: sql<Date>`now() + ${`${Math.max(0, Math.round(update.delayMs))} milliseconds`}::interval`,
      dead_at: update.isDead ? sql<Date>`now()` : null,
    })
    .where('id', '=', id)
    .where('state', '=', 'sending')
    .execute();
}

export async function listOutboundMailRows(executor: Executor, options: { state: OutboundMailState | null; limit: number }): Promise<OutboundMailRow[]> {
  let query = executor.selectFrom('outbound_mails').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit);
  if (options.state) query = query.where('state', '=', options.state);
  return query.execute();
}

export async function findOutboundMailRow(executor: Executor, id: string): Promise<OutboundMailRow | null> {
  return (await executor.selectFrom('outbound_mails').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** dead or held → queued now, attempts reset; other states are left alone. Returns the row after the change. */
export async function requeueOutboundMail(executor: Executor, id: string): Promise<OutboundMailRow | null> {
  const row = await executor
    .updateTable('outbound_mails')
    .set({ state: 'queued', attempts: 0, next_attempt_at: sql<Date>`now()`, dead_at: null, locked_until: null })
    .where('id', '=', id)
    .where('state', 'in', ['dead', 'held'])
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}
