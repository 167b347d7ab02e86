/**
 * The mailboxes, held in memory: every inbound mail asks for them (the SMTP listener at `RCPT TO`,
 * processing for "is the sender one of our own addresses" and the new case's team), and they change
 * a few times a year. A change made on this node (createMailbox, updateMailbox) forgets the copy
 * after its commit; a change made on another node is seen within MAILBOX_CACHE_MS. The listener
 * trusts the copy only to say yes: an address it does not find (or finds inactive) is looked up in
 * the database again, so a mailbox created a second ago on another node never gets a `550`.
 */
import type { Db } from '../../platform/db/database.ts';
import { listMailboxRows } from './mailboxes.repo.ts';
import type { MailboxRecord } from './mailbox.types.ts';

export const MAILBOX_CACHE_MS = 10_000;

export type MailboxDirectory = {
  /** Every mailbox, active or not. */
  all: readonly MailboxRecord[];
  /** Lower-case address → mailbox. */
  byAddress: ReadonlyMap<string, MailboxRecord>;
  /** Lower-case addresses of every mailbox (our own mail coming back, participants to leave out). */
  addresses: ReadonlySet<string>;
};

type Entry = { loadedAt: number; directory: Promise<MailboxDirectory> };

let entries = new WeakMap<Db, Entry>();
/** Bumped by every forget: a load that started before it does not store its (possibly stale) result. */
let generation = 0;

export async function mailboxDirectory(db: Db): Promise<MailboxDirectory> {
  const cached = entries.get(db);
  if (cached && Date.now() - cached.loadedAt < MAILBOX_CACHE_MS) return cached.directory;
  const startedIn = generation;
  const directory = listMailboxRows(db).then((rows) => ({
    all: rows,
    byAddress: new Map(rows.map((row) => [row.address.toLowerCase(), row])),
    addresses: new Set(rows.map((row) => row.address.toLowerCase())),
  }));
  const entry = { loadedAt: Date.now(), directory };
  entries.set(db, entry);
  try {
    return await directory;
  } catch (error) {
    if (entries.get(db) === entry) entries.delete(db);
    throw error;
  } finally {
    if (startedIn !== generation && entries.get(db) === entry) entries.delete(db);
  }
}

/** After a mailbox change committed on this node: the next caller reads them again. */
export function forgetMailboxes(): void {
  generation++;
  entries = new WeakMap();
}
