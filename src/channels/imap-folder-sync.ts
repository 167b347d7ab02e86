import type { ImapFlow } from 'imapflow';
import { acceptInboundMail, advanceImapUid, startImapFolderSync, type ImapMailbox } from '../domain/mail/index.ts';
import type { Db } from '../platform/db/database.ts';

export type FolderSyncResult = { uidValidity: string; fetched: number; stored: number; duplicates: number; tooLarge: number };

/**
 * One pass over one folder on an open connection: (re)selects it, compares UIDVALIDITY with the
 * stored one (a changed value restarts from UID 0; so does a first connection, which then takes only
 * the unread messages and passes over the read history), then for every UID above last_uid, in order:
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
  options: { maxBytes?: number } = {},
): Promise<FolderSyncResult> {
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const opened = await client.mailboxOpen(folder);
  const uidValidity = opened.uidValidity.toString();
  const lastUid = await startImapFolderSync(db, mailbox.id, folder, uidValidity);
  const result: FolderSyncResult = { uidValidity, fetched: 0, stored: 0, duplicates: 0, tooLarge: 0 };
  if (opened.exists === 0) return result;
  // First connection to a folder (or a folder reset): only unread mail is support work; the read
  // history stays in the mailbox instead of opening years of old cases. Afterwards: every new UID.
  const isFirstPass = lastUid === 0;
  // `N:*` always matches the highest UID, even below N: keep only UIDs really above last_uid.
  const found = await client.search(isFirstPass ? { seen: false } : { uid: `${lastUid + 1}:*` }, { uid: true });
  const uids = (found || []).filter((uid) => uid > lastUid).sort((a, b) => a - b);
  for (const uid of uids) {
    if (shouldStop()) break;
    // Oversized mail is never downloaded: it stays unread in the mailbox for a person to handle.
    const meta = await client.fetchOne(String(uid), { uid: true, size: true }, { uid: true });
    if (meta && (meta.size ?? 0) > maxBytes) {
      result.tooLarge++;
      await advanceImapUid(db, mailbox.id, folder, uidValidity, uid);
      continue;
    }
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
  // The read history below UIDNEXT (as of opening the folder) is passed over for good.
  if (isFirstPass && !shouldStop() && opened.uidNext > 1) await advanceImapUid(db, mailbox.id, folder, uidValidity, opened.uidNext - 1);
  return result;
}
