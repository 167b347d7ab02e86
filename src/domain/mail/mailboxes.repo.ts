import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { MailboxesTable } from '../../platform/db/schema.ts';
import type { MailboxRecord } from './mailbox.types.ts';

type MailboxRow = Selectable<MailboxesTable>;

export type MailboxFields = { address?: string; name?: string; teamId?: string | null; imapUrl?: string | null; isActive?: boolean };

function toRecord(row: MailboxRow): MailboxRecord {
  return {
    id: row.id,
    address: row.address,
    name: row.name,
    teamId: row.team_id,
    imapUrl: row.imap_url,
    isActive: row.is_active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function insertMailbox(executor: Executor, fields: MailboxFields & { address: string }): Promise<MailboxRecord> {
  const row = await executor
    .insertInto('mailboxes')
    .values({ address: fields.address, name: fields.name ?? '', team_id: fields.teamId ?? null, imap_url: fields.imapUrl ?? null, is_active: fields.isActive ?? true })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

export async function updateMailboxRow(executor: Executor, id: string, fields: MailboxFields): Promise<MailboxRecord | undefined> {
  const row = await executor
    .updateTable('mailboxes')
    .set({
      ...(fields.address !== undefined && { address: fields.address }),
      ...(fields.name !== undefined && { name: fields.name }),
      ...(fields.teamId !== undefined && { team_id: fields.teamId }),
      ...(fields.imapUrl !== undefined && { imap_url: fields.imapUrl }),
      ...(fields.isActive !== undefined && { is_active: fields.isActive }),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toRecord(row);
}

export async function findMailboxRow(executor: Executor, id: string, options: { forUpdate?: boolean } = {}): Promise<MailboxRecord | undefined> {
  let query = executor.selectFrom('mailboxes').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toRecord(row);
}

export async function findMailboxIdByAddress(executor: Executor, address: string): Promise<string | undefined> {
  const row = await executor.selectFrom('mailboxes').select('id').where(sql<string>`lower(address)`, '=', address.toLowerCase()).executeTakeFirst();
  return row?.id;
}

export async function listMailboxRows(executor: Executor, options: { activeOnly?: boolean } = {}): Promise<MailboxRecord[]> {
  let query = executor.selectFrom('mailboxes').selectAll().orderBy(sql`lower(address)`);
  if (options.activeOnly) query = query.where('is_active', '=', true);
  return (await query.execute()).map(toRecord);
}

/** Active mailboxes whose address is one of the given (lower-case) addresses. */
export async function findActiveMailboxesByAddresses(executor: Executor, addresses: string[]): Promise<MailboxRecord[]> {
  if (addresses.length === 0) return [];
  const rows = await executor
    .selectFrom('mailboxes')
    .selectAll()
    .where(sql<string>`lower(address)`, 'in', addresses)
    .where('is_active', '=', true)
    .execute();
  return rows.map(toRecord);
}
