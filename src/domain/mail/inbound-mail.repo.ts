import type { Executor } from '../../platform/db/database.ts';
import type { InboundMailsTable } from '../../platform/db/schema.ts';
import type { Insertable } from 'kysely';

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
