/**
 * SQL of the admin views on inbound mail that opened no case and on bouncing addresses: listing,
 * releasing a held-back mail to processing again, and unflagging an address (its held outbound
 * mail goes back to the queue).
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { InboundMailState } from '../../platform/db/schema.ts';

export type InboundMailAdminRow = {
  id: string;
  state: InboundMailState;
  classification: 'normal' | 'auto-reply' | 'bounce' | 'feedback' | null;
  from_address: string | null;
  envelope_from: string | null;
  message_id: string | null;
  received_at: Date | string;
  last_error: string | null;
  outcome: Record<string, unknown> | string;
  ticket_id: string | null;
  /** The first bytes of the raw mail: enough for its header block, never the body. */
  head: Buffer | Uint8Array;
};

export async function listInboundMailRows(executor: Executor, options: { states: InboundMailState[]; limit: number }): Promise<InboundMailAdminRow[]> {
  const result = await sql<InboundMailAdminRow>`
    select id, state, classification, from_address, envelope_from, message_id, received_at, last_error, outcome, ticket_id,
      substring(raw from 1 for 16384) as head
    from inbound_mails
    where state in (${sql.join(options.states)})
    order by received_at desc, id desc
    limit ${options.limit}`.execute(executor);
  return result.rows;
}

export async function findInboundMailState(executor: Executor, id: string, options: { forUpdate?: boolean } = {}): Promise<{ state: InboundMailState; outcome: Record<string, unknown> } | undefined> {
  let query = executor.selectFrom('inbound_mails').select(['state', 'outcome']).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  return { state: row.state, outcome: typeof row.outcome === 'string' ? (JSON.parse(row.outcome) as Record<string, unknown>) : row.outcome };
}

/** Back to 'received', attempts reset, with the `released` marker processing reads (the rate limit no longer applies). */
export async function markInboundMailReleased(executor: Executor, id: string, outcome: Record<string, unknown>): Promise<void> {
  await executor
    .updateTable('inbound_mails')
    .set({ state: 'received', outcome: JSON.stringify(outcome), attempts: 0, processed_at: null })
    .where('id', '=', id)
    .execute();
}

export type MailAddressFlagRow = { address: string; reason: string; detail: Record<string, unknown> | string; inbound_mail_id: string | null; flagged_at: Date | string };

export async function listMailAddressFlagRows(executor: Executor, limit: number): Promise<MailAddressFlagRow[]> {
  return executor.selectFrom('mail_address_flags').selectAll().orderBy('flagged_at', 'desc').orderBy('address').limit(limit).execute();
}

/** Removes the flag (any letter case); returns the removed rows. */
export async function deleteMailAddressFlag(executor: Executor, address: string): Promise<MailAddressFlagRow[]> {
  return executor.deleteFrom('mail_address_flags').where(sql<string>`lower(address)`, '=', address.toLowerCase()).returningAll().execute();
}

/** Held mail to this address whose recipients are no longer flagged → queued now, attempts reset. Returns their ids. */
export async function requeueHeldMailTo(executor: Executor, address: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    update outbound_mails o
    set state = 'queued', attempts = 0, next_attempt_at = now(), last_error = null, dead_at = null, locked_until = null
    where o.state = 'held'
      and exists (select 1 from unnest(o.to_addresses) as t(address) where lower(t.address) = ${address.toLowerCase()})
      and not exists (
        select 1 from mail_address_flags f, unnest(o.to_addresses) as t(address)
        where lower(f.address) = lower(t.address))
    returning o.id`.execute(executor);
  return result.rows.map((row) => row.id);
}
