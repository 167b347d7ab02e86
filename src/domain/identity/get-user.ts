import type { Db } from '../../platform/db/database.ts';
import { identityError } from './identity.errors.ts';
import { canIdentity } from './identity.policy.ts';
import { findUserById, listUserRows } from './identity.repo.ts';
import { isAgent, type Actor, type Role, type User } from './identity.types.ts';

/** A user the actor may see; others are reported as not found, never as forbidden. */
export async function getUser(db: Db, actor: Actor, userId: string): Promise<User> {
  const user = await findUserById(db, userId);
  if (!user || !canIdentity(actor, 'user.read', user)) throw identityError('USER_NOT_FOUND');
  return user;
}

export type ListUsersQuery = { kind?: 'agent' | 'contact'; organizationId?: string; role?: Role; limit?: number; cursor?: string };

export async function listUsers(db: Db, actor: Actor, query: ListUsersQuery): Promise<{ items: User[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50;
  let filter = { kind: query.kind, organizationId: query.organizationId, role: query.role, limit: limit + 1, after: query.cursor };
  if (!isAgent(actor)) {
    if (!actor.roles.includes('customer-admin')) {
      const self = await findUserById(db, actor.userId);
      return { items: self ? [self] : [], nextCursor: null };
    }
    filter = { ...filter, kind: 'contact', organizationId: actor.organizationId ?? '' };
  }
  const rows = await listUserRows(db, filter);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}
