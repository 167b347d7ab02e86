import type { Db } from '../../platform/db/database.ts';
import { startPeriodicJob, type PeriodicJob } from '../../platform/periodic-job.ts';
import { queueMail, type OutboundMailSettings, type TemplateName } from '../mail/index.ts';
import { claimDueEmailNotifications, markNotificationsDelivered, type DueEmailNotification } from './email-notifications.repo.ts';

/** Which mail template tells each kind of notice. */
const TEMPLATE_BY_KIND: Record<string, TemplateName> = {
  'sla.warning': 'sla-notice',
  'sla.breach': 'sla-notice',
  panic: 'panic-alert',
  'case.new-subscribed': 'tam-notice',
  'case.escalated': 'escalation-notice',
};

export type EmailNotificationResult = { due: number; mailed: number };

/**
 * Turns the e-mail notifications whose moment has come (the recipient's working hours, or at once
 * when urgent) into outbound mail, and marks them delivered in the same transaction: a notice is
 * mailed once, even with several nodes (SKIP LOCKED) or a crash in between. In-app notices are untouched.
 */
export async function deliverEmailNotifications(db: Db, settings: OutboundMailSettings, options: { batchSize?: number } = {}): Promise<EmailNotificationResult> {
  return db.transaction().execute(async (tx) => {
    const due = await claimDueEmailNotifications(tx, options.batchSize ?? 50);
    let mailed = 0;
    for (const notification of due) {
      const template = TEMPLATE_BY_KIND[notification.kind];
      if (!template || !notification.user.isActive) continue;
      const result = await queueMail(tx, {
        kind: template,
        dedupeKey: `notification:${notification.id}`,
        to: [notification.user.email],
        ticketId: notification.ticketId,
        locale: notification.user.locale,
        template,
        data: templateData(notification),
        autoSubmitted: true,
      }, settings);
      if (result.queued) mailed += 1;
    }
    await markNotificationsDelivered(
      tx,
      due.map((notification) => notification.id),
    );
    return { due: due.length, mailed };
  });
}

function templateData(notification: DueEmailNotification): Record<string, unknown> {
  return { ...notification.payload, kind: notification.kind, isBreach: notification.kind === 'sla.breach', name: notification.user.name, timeZone: notification.user.timeZone };
}

export type EmailNotificationJob = PeriodicJob<EmailNotificationResult>;

/** Polls for due e-mail notifications (default every 5 s); one pass at a time per process. */
export function startEmailNotificationJob(db: Db, settings: OutboundMailSettings, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): EmailNotificationJob {
  return startPeriodicJob({ name: 'email-notifications', intervalMs: options.intervalMs ?? 5000, pass: () => deliverEmailNotifications(db, settings), fallback: { due: 0, mailed: 0 }, onError: options.onError });
}
