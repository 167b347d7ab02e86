import type { Db } from '../../platform/db/database.ts';
import { identityError, type Actor } from '../identity/index.ts';
import { followedOrganizationIds } from '../subscriptions/index.ts';
import { canPanic } from './panic.policy.ts';
import { listPanicEventRows } from './panic.repo.ts';
import type { PanicEvent, PanicHistoryQuery } from './panic.types.ts';

/**
 * Panic presses, newest first. Admins see every organisation; another agent sees the
 * organisations they follow (subscribed or named TAM). `organizationId` narrows either view.
 */
export async function listPanicHistory(db: Db, actor: Actor, query: PanicHistoryQuery): Promise<{ items: PanicEvent[]; nextCursor: string | null }> {
  if (!canPanic(actor, 'panic.history.read')) throw identityError('FORBIDDEN');
  let organizationIds: string[] | undefined = query.organizationId ? [query.organizationId] : undefined;
  if (!canPanic(actor, 'panic.history.read-all')) {
    const followed = await followedOrganizationIds(db, actor.userId);
    organizationIds = (organizationIds ?? followed).filter((id) => followed.includes(id));
  }
  const limit = query.limit ?? 50;
  const [createdAt, id] = query.cursor ? query.cursor.split('_') : [];
  const rows = await listPanicEventRows(db, { organizationIds, limit: limit + 1, ...(createdAt && id && { after: { createdAt, id } }) });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? `${last.createdAt}_${last.id}` : null };
}
