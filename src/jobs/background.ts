import { autoAssignHandler, startShiftReoffer } from '../domain/routing/index.ts';
import { slaEventHandler, startSlaTimer } from '../domain/sla/index.ts';
import { subscriptionsHandler } from '../domain/subscriptions/index.ts';
import { startImapPoller } from '../channels/imap-poller.ts';
import { startSmtpSender } from '../channels/smtp-sender.ts';
import { inboundMailHandler, mailOutboundHandler, startInboundRequeue } from '../domain/mail/index.ts';
import { startEmailNotificationJob } from '../domain/notifications/index.ts';
import type { Runtime } from '../platform/runtime.ts';
import type { OutboxSubscriber } from '../platform/outbox/processor.ts';
import { startOutboxPurge } from '../platform/outbox/purge.ts';
import { startEmbeddedHousekeeping } from '../platform/db/embedded-housekeeping.ts';
import type { RealtimeHub } from '../platform/realtime.ts';

/** Every outbox subscriber of the app, in the order they see each event. */
/** What handlers and jobs may use: the database, the file store and the configuration. */
export type JobDeps = Pick<Runtime, 'database' | 'files' | 'config'>;

export function buildEventHandlers(deps: JobDeps, realtime: RealtimeHub): OutboxSubscriber[] {
  const { database } = deps;
  return [
    realtime.outboxHandler,
    // Routing: a new case goes to an agent of its team by the team's strategy (before the TAM hears of it).
    autoAssignHandler(database),
    // TAM subscriptions: followers of the organisation hear of each new case (idempotent per case).
    subscriptionsHandler(database.db),
    // SLA clocks: recomputed from the case history on every event that can move them (idempotent).
    slaEventHandler(database.db),
    // Outbound mail: agents' public replies to the requester and CC'd people, acknowledgements of cases opened by mail.
    mailOutboundHandler(database.db, deps.config.mail),
    // Inbound mail: each stored mail becomes a case or a message (threading, sender → contact, bounces, rate limit).
    inboundMailHandler(deps),
  ];
}

export type BackgroundJob = { name: string; stop(): Promise<void> };

/** Periodic jobs started beside the HTTP server (timers; each must be safe with several app nodes). */
export function startBackgroundJobs(deps: JobDeps): BackgroundJob[] {
  const { database, config } = deps;
  // SLA timer: warnings and breaches at their moment (FOR UPDATE SKIP LOCKED + one notice per threshold).
  const jobs: BackgroundJob[] = [startSlaTimer(database.db)];
  // Routing: cases left waiting while nobody was on shift are offered again once someone is (every minute).
  jobs.push(startShiftReoffer(database.db));
  // Inbound mail whose processing ran out of outbox retries is handed over again (or parked as failed).
  jobs.push(startInboundRequeue(database.db));
  // Processed outbox events older than CASEBOOK_OUTBOX_RETENTION_DAYS are deleted (hourly).
  jobs.push(startOutboxPurge(database.db, { retentionDays: config.outboxRetentionDays }));
  // IMAP intake: one connection per active mailbox with an IMAP URL (a lease per mailbox across nodes);
  // the mailbox list is read again every 30 s, so it costs one small query while there is none.
  const logsJobs = !['error', 'fatal', 'silent'].includes(config.logLevel);
  jobs.push(
    startImapPoller(database.db, {
      pollSeconds: config.imapPollSeconds,
      maxBytes: config.smtpMaxBytes,
      // The embedded database admits one process: a fixed holder takes its leases back at once after a crash.
      holder: database.engine === 'pglite' ? 'embedded' : undefined,
      onError: (error, mailbox) => {
        if (!logsJobs) return;
        const reason = error instanceof Error ? error.message : String(error);
        process.stdout.write(`${JSON.stringify({ level: 40, time: Date.now(), msg: 'IMAP polling failed, retrying', mailbox: mailbox?.address, err: reason })}\n`);
      },
    }),
  );
  // Outbound mail: due e-mail notifications become mail (in the recipient's working hours), and the
  // SMTP sender delivers the queue (retries with backoff, dead letters) when CASEBOOK_SMTP_URL is set.
  const logJob = (level: 'info' | 'warn', msg: string, details: Record<string, unknown> = {}) => {
    if (!logsJobs) return;
    process.stdout.write(`${JSON.stringify({ level: level === 'warn' ? 40 : 30, time: Date.now(), msg, ...details })}\n`);
  };
  // The embedded database has no autovacuum: its tables are vacuumed and analysed by the same rules (every minute).
  if (database.engine === 'pglite') jobs.push(startEmbeddedHousekeeping(database.db, { onError: (error) => logJob('warn', 'embedded database housekeeping failed', { err: String(error) }) }));
  jobs.push(startEmailNotificationJob(database.db, config.mail, { onError: (error) => logJob('warn', 'e-mail notifications failed', { err: String(error) }) }));
  jobs.push(startSmtpSender(database.db, { smtpUrl: config.mail.smtpUrl, maxAttempts: config.mail.maxAttempts, retryBaseMs: config.mail.retryBaseMs, log: logJob }));
  return jobs;
}
