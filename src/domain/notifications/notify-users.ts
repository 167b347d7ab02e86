import type { Executor } from '../../platform/db/database.ts';
import { nextBusinessMoment, type BusinessCalendar } from '../sla/index.ts';
import { WorkingHours } from '../identity/index.ts';
import { findRecipients, insertNotifications, type NotificationRow, type Recipient } from './notifications.repo.ts';
import type { NotifyRequest } from './notifications.types.ts';

/**
 * When a non-urgent notice may reach a recipient: now if they are at work, else the start of
 * their next working block in their own time zone. No working hours recorded = any time.
 */
export function deliveryTime(recipient: Pick<Recipient, 'timeZone' | 'workingHours'>, now: Date): Date {
  const parsed = WorkingHours.safeParse(recipient.workingHours);
  if (!parsed.success || Object.values(parsed.data).every((blocks) => !blocks || blocks.length === 0)) return now;
  const week = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [], ...parsed.data };
  const calendar: BusinessCalendar = { timeZone: recipient.timeZone, week, holidays: [] } as BusinessCalendar;
  try {
    return nextBusinessMoment(calendar, now);
  } catch {
    return now;
  }
}

/**
 * Records in-app (and e-mail) notifications for active users, in the caller's transaction.
 * In-app notices show at once; e-mail for non-urgent notices waits for working hours.
 * Returns the number of notifications that were new.
 */
export async function notifyUsers(executor: Executor, request: NotifyRequest, now = new Date()): Promise<number> {
  const recipients = (await findRecipients(executor, [...new Set(request.userIds)])).filter((recipient) => recipient.isActive);
  const channels = request.channels ?? ['in-app', 'email'];
  const rows: NotificationRow[] = recipients.flatMap((recipient) =>
    channels.map((channel) => ({
      userId: recipient.id,
      kind: request.kind,
      ticketId: request.ticketId,
      channel,
      payload: request.payload,
      dedupeKey: request.dedupeKey,
      deliverAfter: channel === 'email' && !request.isUrgent ? deliveryTime(recipient, now) : now,
    })),
  );
  return insertNotifications(executor, rows);
}
