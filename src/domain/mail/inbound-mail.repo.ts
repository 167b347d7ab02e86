import type { Executor } from '../../platform/db/database.ts';
import type { InboundMailsTable } from '../../platform/db/schema.ts';
import { sql, type Insertable } from 'kysely';

/**
 * Stores several raw mails and their `mail.received` events in ONE statement (a statement is its own
 * transaction: both or neither are committed when it returns). A dedupe key already stored inserts
 * nothing and queues nothing; the caller gives each key once. Returns the id of each key and whether
 * it was already there.
 */
export async function insertInboundMailsWithEvents(
  executor: Executor,
  rows: readonly Insertable<InboundMailsTable>[],
): Promise<Map<string, { id: string; duplicate: boolean }>> {
  const result = new Map<string, { id: string; duplicate: boolean }>();
  if (rows.length === 0) return result;
  const values = rows.map(
    (row) =>
      sql`(${row.mailbox_id ?? null}::uuid, ${row.source}, ${row.envelope_from ?? null}, ${sql.val(row.envelope_to ?? [])}::text[], ${row.message_id ?? null}, ${row.dedupe_key}, ${row.raw}::bytea, ${row.size}::integer)`,
  );
  const inserted = await sql<{ id: string; dedupe_key: string }>`
    with stored as (
      insert into inbound_mails (mailbox_id, source, envelope_from, envelope_to, message_id, dedupe_key, raw, size)
      values ${sql.join(values)}
      on conflict (dedupe_key) do nothing
      returning id, dedupe_key),
    queued as (
      insert into outbox (topic, payload)
      select 'mail.received', jsonb_build_object('inboundMailId', stored.id::text) from stored)
    select id, dedupe_key from stored`.execute(executor);
  for (const row of inserted.rows) result.set(row.dedupe_key, { id: row.id, duplicate: false });
  const known = rows.map((row) => row.dedupe_key).filter((key) => !result.has(key));
  if (known.length > 0) {
    const existing = await executor.selectFrom('inbound_mails').select(['id', 'dedupe_key']).where('dedupe_key', 'in', known).execute();
    for (const row of existing) result.set(row.dedupe_key, { id: row.id, duplicate: true });
  }
  return result;
}

/**
 * Stored mails still waiting after `olderThanMinutes` whose `mail.received` event is no longer live
 * (its outbox retries ran out): the ones to hand to processing again, or to give up on.
 */
export async function listStalledInboundMails(executor: Executor, olderThanMinutes: number, limit: number): Promise<{ id: string; attempts: number }[]> {
  const result = await sql<{ id: string; attempts: number }>`
    select i.id, i.attempts from inbound_mails i
    where i.state = 'received' and i.received_at < now() - make_interval(mins => ${olderThanMinutes})
      and not exists (
        select 1 from outbox o
        where o.topic = 'mail.received' and o.payload ->> 'inboundMailId' = i.id::text and o.processed_at is null and o.dead_at is null)
    order by i.received_at
    limit ${limit}`.execute(executor);
  return result.rows;
}

export async function markInboundMailFailed(executor: Executor, id: string, reason: string): Promise<void> {
  await executor
    .updateTable('inbound_mails')
    .set({ state: 'failed', last_error: sql<string>`coalesce(last_error || E'\n', '') || ${reason}` })
    .where('id', '=', id)
    .where('state', '=', 'received')
    .execute();
}
