import type { Executor } from '../../platform/db/database.ts';
import type { InboundMailsTable } from '../../platform/db/schema.ts';
import { sql, type Insertable } from 'kysely';

/** Inserts a raw inbound mail unless its dedupe key is known; returns the row id and whether it already existed. */
export async function insertInboundMail(executor: Executor, row: Insertable<InboundMailsTable>): Promise<{ id: string; duplicate: boolean }> {
  const inserted = await executor
    .insertInto('inbound_mails')
    .values(row)
    .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, duplicate: false };
  const existing = await executor.selectFrom('inbound_mails').select('id').where('dedupe_key', '=', row.dedupe_key).executeTakeFirstOrThrow();
  return { id: existing.id, duplicate: true };
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
