import type { ImapFlow } from 'imapflow';
import { acceptInboundMail, advanceImapUid, startImapFolderSync, type ImapMailbox } from '../domain/mail/index.ts';
import type { Db } from '../platform/db/database.ts';

export type FolderSyncResult = { uidValidity: string; fetched: number; stored: number; duplicates: number };

/**
 * One pass over one folder on an open connection: (re)selects it, compares UIDVALIDITY with the
 * stored one (a changed value restarts from UID 0), then for every UID above last_uid, in order:
 * the raw message is committed with `acceptInboundMail` (deduplicated), only then last_uid moves
 * forward, and only then is the message flagged \Seen on the server. A crash between two steps
 * re-reads the message at worst, and the raw store recognises it.
 */
export async function syncImapFolder(
  db: Db,
  client: ImapFlow,
  mailbox: ImapMailbox,
  folder: string,
  shouldStop: () => boolean,
): Promise<FolderSyncResult> {
  const opened = await client.mailboxOpen(folder);
  const uidValidity = opened.uidValidity.toString();
  const lastUid = await startImapFolderSync(db, mailbox.id, folder, uidValidity);
  const result: FolderSyncResult = { uidValidity, fetched: 0, stored: 0, duplicates: 0 };
  if (opened.exists === 0) return result;
  // `N:*` always matches the highest UID, even below N: keep only UIDs really above last_uid.
  const found = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
  const uids = (found || []).filter((uid) => uid > lastUid).sort((a, b) => a - b);
  for (const uid of uids) {
    if (shouldStop()) break;
    // BODY.PEEK: reading the source does not set \Seen; that happens below, after the durable store.
    const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
    if (message && message.source) {
      result.fetched++;
      const stored = await acceptInboundMail(db, { raw: message.source, source: 'imap', mailboxId: mailbox.id, envelopeTo: [mailbox.address] });
      if (stored.duplicate) result.duplicates++;
      else result.stored++;
    }
    // A UID that no longer exists (expunged meanwhile) is never reused under this UIDVALIDITY.
    await advanceImapUid(db, mailbox.id, folder, uidValidity, uid);
    if (message && message.source) await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
  }
  return result;
}
