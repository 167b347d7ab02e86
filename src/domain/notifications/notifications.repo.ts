import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { Notification } from './notifications.types.ts';

export type Recipient = { id: string; timeZone: string; workingHours: unknown; isActive: boolean };

export async function findRecipients(executor: Executor, userIds: string[]): Promise<Recipient[]> {
  if (userIds.length === 0) return [];
  const rows = await executor.selectFrom('users').select(['id', 'time_zone', 'working_hours', 'is_active']).where('id', 'in', userIds).execute();
  return rows.map((row) => ({ id: row.id, timeZone: row.time_zone, workingHours: row.working_hours, isActive: row.is_active }));
}

export type NotificationRow = {
  userId: string;
  kind: string;
  ticketId: string | null;
  channel: 'in-app' | 'email';
  payload: Record<string, unknown>;
  dedupeKey: string;
  deliverAfter: Date;
};

/** Inserts notifications; a duplicate (user, channel, dedupe key) is ignored. Returns how many were new. */
export async function insertNotifications(executor: Executor, rows: NotificationRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await executor
    .insertInto('notifications')
    .values(
      rows.map((row) => ({
        user_id: row.userId,
        kind: row.kind,
        ticket_id: row.ticketId,
        channel: row.channel,
        payload: JSON.stringify(row.payload),
        dedupe_key: row.dedupeKey,
        deliver_after: row.deliverAfter,
      })),
    )
    .onConflict((conflict) => conflict.columns(['user_id', 'channel', 'dedupe_key']).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

export async function listNotificationRows(executor: Executor, userId: string, options: { unreadOnly: boolean; limit: number }): Promise<Notification[]> {
  let query = executor
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .where('channel', '=', 'in-app')
    .where('deliver_after', '<=', sql<Date>`now()`)
    .orderBy('created_at', 'desc')
    .limit(options.limit);
  if (options.unreadOnly) query = query.where('read_at', 'is', null);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    ticketId: row.ticket_id,
    channel: row.channel,
    payload: row.payload as Record<string, unknown>,
    deliverAfter: row.deliver_after.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    readAt: row.read_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  }));
}

export async function markNotificationsRead(executor: Executor, userId: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await executor
    .updateTable('notifications')
    .set({ read_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('id', 'in', ids)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows ?? 0);
}
