import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { listImapMailboxes, type ImapMailbox } from '../domain/mail/index.ts';
import type { Db } from '../platform/db/database.ts';
import type { FolderSyncResult } from './imap-folder-sync.ts';
import { startImapMailboxWorker, type ImapMailboxWorker, type ImapWorkerStatus } from './imap-mailbox-worker.ts';

export type ImapPollerOptions = {
  /** Longest wait between two passes over a folder (CASEBOOK_IMAP_POLL_SECONDS); IDLE is usually faster. */
  pollSeconds: number;
  /** Largest message taken in (CASEBOOK_SMTP_MAX_BYTES, as for SMTP); a larger one stays unread on the server. */
  maxBytes?: number;
  /** How often the list of mailboxes is read again (added, changed, deactivated mailboxes). */
  refreshSeconds?: number;
  /** How long a node's claim on a mailbox lasts without renewal (another node takes over after it). */
  leaseSeconds?: number;
  /** Lease holder name of this node (default: host, pid and a random suffix). */
  holder?: string;
  backoff?: { minMs: number; maxMs: number };
  /** A connection or pass failed (it is retried); `mailbox` is undefined when listing mailboxes failed. */
  onError?: (error: unknown, mailbox?: ImapMailbox) => void;
  onSync?: (result: FolderSyncResult, mailbox: ImapMailbox) => void;
};

export type ImapPoller = {
  name: 'imap-poller';
  holder: string;
  /** Reads the mailbox list now: starts, restarts (changed URL or address) and stops connections. */
  refresh(): Promise<void>;
  status(): ImapWorkerStatus[];
  stop(): Promise<void>;
};

/**
 * IMAP intake: one connection per active mailbox that has an IMAP URL, on the node that holds the
 * mailbox's lease (several app nodes never poll the same mailbox at once). The mailbox list is read
 * again every `refreshSeconds`, so a mailbox added later is picked up without a restart. Failures
 * are reported through `onError` and retried; they never stop the poller or the process.
 */
export function startImapPoller(db: Db, options: ImapPollerOptions): ImapPoller {
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const refreshMs = (options.refreshSeconds ?? 30) * 1000;
  const onError = options.onError ?? (() => {});
  const workers = new Map<string, ImapMailboxWorker>();
  let isStopped = false;
  let timer: NodeJS.Timeout | undefined;
  let refreshing: Promise<void> | undefined;

  const settings = {
    pollSeconds: options.pollSeconds,
    maxBytes: options.maxBytes ?? 25 * 1024 * 1024,
    leaseSeconds: options.leaseSeconds ?? 60,
    holder,
    backoff: options.backoff ?? { minMs: 1_000, maxMs: 60_000 },
    onError: (error: unknown, mailbox: ImapMailbox) => onError(error, mailbox),
    onSync: options.onSync,
  };

  const reconcile = async () => {
    let mailboxes: ImapMailbox[];
    try {
      mailboxes = await listImapMailboxes(db);
    } catch (error) {
      onError(error);
      return;
    }
    if (isStopped) return;
    const wanted = new Map(mailboxes.map((mailbox) => [mailbox.id, mailbox]));
    const retired: ImapMailboxWorker[] = [];
    for (const [id, worker] of workers) {
      const next = wanted.get(id);
      if (!next || next.imapUrl !== worker.mailbox.imapUrl || next.address !== worker.mailbox.address) {
        workers.delete(id);
        retired.push(worker);
      }
    }
    await Promise.all(retired.map((worker) => worker.stop()));
    if (isStopped) return;
    for (const mailbox of mailboxes) {
      if (!workers.has(mailbox.id)) workers.set(mailbox.id, startImapMailboxWorker(db, mailbox, settings));
    }
  };

  const refresh = () => {
    refreshing ??= reconcile().finally(() => (refreshing = undefined));
    return refreshing;
  };

  const tick = () => {
    if (isStopped) return;
    void refresh().finally(() => {
      if (!isStopped) timer = setTimeout(tick, refreshMs);
    });
  };
  tick();

  return {
    name: 'imap-poller',
    holder,
    refresh,
    status: () => [...workers.values()].map((worker) => worker.status()),
    async stop() {
      isStopped = true;
      if (timer) clearTimeout(timer);
      while (refreshing) await refreshing;
      const all = [...workers.values()];
      workers.clear();
      await Promise.all(all.map((worker) => worker.stop()));
    },
  };
}
