import { ImapFlow } from 'imapflow';
import { claimImapLease, parseImapUrl, releaseImapLease, type ImapMailbox } from '../domain/mail/index.ts';
import type { Db } from '../platform/db/database.ts';
import { syncImapFolder, type FolderSyncResult } from './imap-folder-sync.ts';

export type ImapWorkerSettings = {
  /** Longest wait between two passes over the folder (IDLE usually wakes the worker sooner). */
  pollSeconds: number;
  /** Largest message taken in; a larger one is left unread on the server (and counted as tooLarge). */
  maxBytes: number;
  /** Lease length; renewed every third of it while the worker holds the mailbox. */
  leaseSeconds: number;
  /** This node's lease holder name. */
  holder: string;
  /** Reconnection delay after the n-th consecutive failure: min · 2^(n-1), capped at max. */
  backoff: { minMs: number; maxMs: number };
  onError(error: unknown, mailbox: ImapMailbox): void;
  onSync?(result: FolderSyncResult, mailbox: ImapMailbox): void;
};

export type ImapWorkerState = 'starting' | 'standby' | 'connecting' | 'syncing' | 'idle' | 'backoff' | 'stopped';
export type ImapWorkerStatus = {
  mailboxId: string;
  address: string;
  state: ImapWorkerState;
  /** Consecutive failed attempts (0 once a pass succeeded). */
  failures: number;
  lastError: string | null;
  lastSyncAt: Date | null;
  /** Whether the server announced IDLE on the current connection. */
  usesIdle: boolean;
};

export type ImapMailboxWorker = { mailbox: ImapMailbox; status(): ImapWorkerStatus; stop(): Promise<void> };

const STOP_GRACE_MS = 5_000;

/**
 * Polls one mailbox's folder for as long as it runs: takes the mailbox's lease (one node per
 * mailbox), connects, syncs the folder, then waits in IDLE (or the client's NOOP fallback) until
 * the server announces new mail or the poll interval passes, and syncs again. Any error closes
 * the connection and retries after a growing delay; nothing escapes to the caller.
 */
export function startImapMailboxWorker(db: Db, mailbox: ImapMailbox, settings: ImapWorkerSettings): ImapMailboxWorker {
  const status: ImapWorkerStatus = { mailboxId: mailbox.id, address: mailbox.address, state: 'starting', failures: 0, lastError: null, lastSyncAt: null, usesIdle: false };
  let isStopped = false;
  let client: ImapFlow | undefined;
  let hasNews = false;
  let wakeUp: (() => void) | undefined;

  const wake = () => {
    hasNews = true;
    wakeUp?.();
  };
  /** Resolves after `ms`, or earlier on wake(); a wake that came before the call returns at once. */
  const pause = (ms: number) =>
    new Promise<void>((resolvePause) => {
      if (hasNews || isStopped) return resolvePause();
      const timer = setTimeout(() => finish(), ms);
      const finish = () => {
        clearTimeout(timer);
        wakeUp = undefined;
        resolvePause();
      };
      wakeUp = finish;
    });

  const session = async () => {
    const source = parseImapUrl(mailbox.imapUrl);
    if (!source) throw new Error(`mailbox ${mailbox.address}: the IMAP URL is not one Casebook can poll`);
    const imap = new ImapFlow({
      host: source.host,
      port: source.port,
      secure: source.secure,
      auth: { user: source.user, pass: source.password },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: 30_000,
      clientInfo: { name: 'Casebook' },
    });
    let isClosed = false;
    let isLeaseLost = false;
    imap.on('error', (error: unknown) => (status.lastError = messageOf(error)));
    imap.on('close', () => {
      isClosed = true;
      wake();
    });
    // New mail announced by the server (IDLE, or any untagged EXISTS).
    imap.on('exists', () => wake());
    client = imap;
    const renewal = setInterval(() => {
      claimImapLease(db, mailbox.id, settings.holder, settings.leaseSeconds).then(
        (isHeld) => {
          if (!isHeld) {
            isLeaseLost = true;
            wake();
          }
        },
        () => {}, // the database is unreachable: the next pass fails and reconnects
      );
    }, (settings.leaseSeconds * 1000) / 3);
    try {
      status.state = 'connecting';
      await imap.connect();
      status.usesIdle = imap.capabilities.has('IDLE');
      while (!isStopped && !isLeaseLost) {
        if (isClosed) throw new Error(`mailbox ${mailbox.address}: the IMAP server closed the connection`);
        status.state = 'syncing';
        hasNews = false;
        const result = await syncImapFolder(db, imap, mailbox, source.folder, () => isStopped || isLeaseLost, { maxBytes: settings.maxBytes });
        status.lastSyncAt = new Date();
        status.failures = 0;
        status.lastError = null;
        settings.onSync?.(result, mailbox);
        if (isStopped || isLeaseLost) break;
        status.state = 'idle';
        // IDLE until the next command (our next pass) breaks it; without IDLE the client polls with NOOP.
        void imap.idle().catch(() => {});
        await pause(settings.pollSeconds * 1000);
      }
    } finally {
      clearInterval(renewal);
      client = undefined;
      await closeClient(imap);
    }
  };

  const run = async () => {
    while (!isStopped) {
      try {
        if (!(await claimImapLease(db, mailbox.id, settings.holder, settings.leaseSeconds))) {
          // Another node polls this mailbox; look again before its lease could expire.
          status.state = 'standby';
          hasNews = false;
          await pause((settings.leaseSeconds * 1000) / 3);
          continue;
        }
        await session();
      } catch (error) {
        if (isStopped) break;
        status.failures++;
        status.lastError = messageOf(error);
        status.state = 'backoff';
        settings.onError(error, mailbox);
        hasNews = false; // the failed connection's own close event is no reason to skip the delay
        await pause(Math.min(settings.backoff.maxMs, settings.backoff.minMs * 2 ** Math.min(status.failures - 1, 20)));
      }
    }
    await releaseImapLease(db, mailbox.id, settings.holder).catch(() => {});
    status.state = 'stopped';
  };

  const running = run();
  return {
    mailbox,
    status: () => ({ ...status }),
    async stop() {
      isStopped = true;
      wake();
      // A pass stops after its current message; a connection stuck on the network is cut.
      const force = setTimeout(() => client?.close(), STOP_GRACE_MS);
      try {
        await running;
      } finally {
        clearTimeout(force);
      }
    },
  };
}

async function closeClient(imap: ImapFlow): Promise<void> {
  if (!imap.usable) return imap.close();
  const timer = setTimeout(() => imap.close(), 2_000);
  try {
    await imap.logout();
  } catch {
    imap.close();
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const details = error as Error & { responseText?: string; code?: string };
    return [details.code, details.message, details.responseText].filter(Boolean).join(': ');
  }
  return String(error);
}
