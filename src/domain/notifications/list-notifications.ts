import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import type { Actor } from '../identity/index.ts';
import { listNotificationRows, markNotificationsRead } from './notifications.repo.ts';
import type { Notification } from './notifications.types.ts';

export const ListNotificationsQuery = z.object({ unread: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(200).optional() }).strict();
export const MarkReadInput = z.object({ ids: z.array(z.uuid()).min(1).max(200) }).strict();

/** The signed-in user's in-app notifications, newest first. */
export async function listNotifications(db: Db, actor: Actor, query: z.infer<typeof ListNotificationsQuery>): Promise<Notification[]> {
  return listNotificationRows(db, actor.userId, { unreadOnly: query.unread === 'true', limit: query.limit ?? 50 });
}

export async function markRead(db: Db, actor: Actor, input: z.infer<typeof MarkReadInput>): Promise<number> {
  return markNotificationsRead(db, actor.userId, input.ids);
}
