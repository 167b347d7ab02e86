import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';

export type DueEmailNotification = {
  id: string;
  kind: string;
  ticketId: string | null;
  payload: Record<string, unknown>;
  dedupeKey: string;
  user: { id: string; email: string; name: string; locale: string; timeZone: string; isActive: boolean };
};

/** Due e-mail notifications (working hours reached), locked for this transaction; other nodes skip them. */
export async function claimDueEmailNotifications(executor: Executor, limit: number): Promise<DueEmailNotification[]> {
  const rows = await executor
    .selectFrom('notifications')
    .innerJoin('users', 'users.id', 'notifications.user_id')
    .select([
      'notifications.id',
      'notifications.kind',
      'notifications.ticket_id',
      'notifications.payload',
      'notifications.dedupe_key',
      'users.id as user_id',
      'users.email',
      'users.name',
      'users.locale',
      'users.time_zone',
      'users.is_active',
    ])
    .where('notifications.channel', '=', 'email')
    .where('notifications.delivered_at', 'is', null)
    .where('notifications.deliver_after', '<=', sql<Date>`now()`)
    .orderBy('notifications.deliver_after')
    .limit(limit)
    .forUpdate('notifications')
    .skipLocked()
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    ticketId: row.ticket_id,
    payload: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>,
    dedupeKey: row.dedupe_key,
    user: { id: row.user_id, email: row.email, name: row.name, locale: row.locale, timeZone: row.time_zone, isActive: row.is_active },
  }));
}

export async function markNotificationsDelivered(executor: Executor, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await executor.updateTable('notifications').set({ delivered_at: sql<Date>`now()` }).where('id', 'in', ids).execute();
}
