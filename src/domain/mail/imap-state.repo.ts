import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';

/** What the IMAP poller needs of a mailbox: its id, its address and its (secret) IMAP URL. */
export type ImapMailbox = { id: string; address: string; imapUrl: string };

/** Active mailboxes with an IMAP source. */
export async function listImapMailboxes(executor: Executor): Promise<ImapMailbox[]> {
  const rows = await executor
    .selectFrom('mailboxes')
    .select(['id', 'address', 'imap_url'])
    .where('is_active', '=', true)
    .where('imap_url', 'is not', null)
    .where('imap_url', '<>', '')
    .orderBy('created_at')
    .execute();
  return rows.map((row) => ({ id: row.id, address: row.address, imapUrl: row.imap_url! }));
}

/**
 * Records the folder's current UIDVALIDITY and returns the UID to continue after: the stored
 * last_uid when the UIDVALIDITY is unchanged, 0 when the folder is new or was reset (its UIDs
 * no longer mean what they meant; re-reading is safe because the raw store deduplicates).
 */
export async function startImapFolderSync(executor: Executor, mailboxId: string, folder: string, uidValidity: string): Promise<number> {
  const row = await executor
    .insertInto('mailbox_imap_state')
    .values({ mailbox_id: mailboxId, folder, uid_validity: uidValidity, last_uid: 0, updated_at: sql<Date>`now()` })
    .onConflict((conflict) =>
      conflict.columns(['mailbox_id', 'folder']).doUpdateSet({
        last_uid: sql<number>`case when mailbox_imap_state.uid_validity = excluded.uid_validity then mailbox_imap_state.last_uid else 0 end`,
        uid_validity: sql<string>`excluded.uid_validity`,
        updated_at: sql<Date>`case when mailbox_imap_state.uid_validity = excluded.uid_validity then mailbox_imap_state.updated_at else now() end`,
      }),
    )
    .returning('last_uid')
    .executeTakeFirstOrThrow();
  return Number(row.last_uid);
}

/** Moves last_uid forward to `uid` (never backwards), only while the folder keeps the same UIDVALIDITY. */
export async function advanceImapUid(executor: Executor, mailboxId: string, folder: string, uidValidity: string, uid: number): Promise<void> {
  await executor
    .updateTable('mailbox_imap_state')
    .set({ last_uid: sql<number>`greatest(last_uid, ${uid})`, updated_at: sql<Date>`now()` })
    .where('mailbox_id', '=', mailboxId)
    .where('folder', '=', folder)
    .where('uid_validity', '=', uidValidity)
    .execute();
}

/**
 * Takes or renews the mailbox's polling lease for `seconds` (database time). True when `holder`
 * now holds it: it was free, expired, or already this holder's. Another node's live lease wins.
 */
export async function claimImapLease(executor: Executor, mailboxId: string, holder: string, seconds: number): Promise<boolean> {
  const until = sql<Date>`now() + make_interval(secs => ${seconds})`;
  const row = await executor
    .insertInto('mailbox_imap_leases')
    .values({ mailbox_id: mailboxId, holder, locked_until: until })
    .onConflict((conflict) =>
      conflict
        .column('mailbox_id')
        .doUpdateSet({
          holder: sql<string>`excluded.holder`,
          locked_until: sql<Date>`excluded.locked_until`,
          acquired_at: sql<Date>`case when mailbox_imap_leases.holder = excluded.holder then mailbox_imap_leases.acquired_at else now() end`,
        })
        .where((where) => where.or([where('mailbox_imap_leases.holder', '=', holder), where('mailbox_imap_leases.locked_until', '<', sql<Date>`now()`)])),
    )
    .returning('mailbox_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Gives the lease up so another node can take the mailbox at once (no-op when someone else holds it). */
export async function releaseImapLease(executor: Executor, mailboxId: string, holder: string): Promise<void> {
  await executor.deleteFrom('mailbox_imap_leases').where('mailbox_id', '=', mailboxId).where('holder', '=', holder).execute();
}
