import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';

// Named TAMs are read from the accounts tables (organizations.tam_id and account-team members
// with the `tam` role); this is the one place that defines "follows an organisation".

/** Records an explicit subscription; an existing one is kept. Returns its date and whether it is new. */
export async function insertSubscription(executor: Executor, userId: string, organizationId: string): Promise<{ createdAt: Date; isNew: boolean }> {
  const inserted = await executor
    .insertInto('organization_subscriptions')
    .values({ user_id: userId, organization_id: organizationId })
    .onConflict((conflict) => conflict.columns(['user_id', 'organization_id']).doNothing())
    .returning('created_at')
    .executeTakeFirst();
  if (inserted) return { createdAt: inserted.created_at, isNew: true };
  const existing = await executor
    .selectFrom('organization_subscriptions')
    .select('created_at')
    .where('user_id', '=', userId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirstOrThrow();
  return { createdAt: existing.created_at, isNew: false };
}

export async function deleteSubscription(executor: Executor, userId: string, organizationId: string): Promise<boolean> {
  const result = await executor.deleteFrom('organization_subscriptions').where('user_id', '=', userId).where('organization_id', '=', organizationId).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0) > 0;
}

export async function isNamedTam(executor: Executor, userId: string, organizationId: string): Promise<boolean> {
  return (await namedTamIdsOf(executor, organizationId)).includes(userId);
}

/** The named TAMs of an organisation. */
export async function namedTamIdsOf(executor: Executor, organizationId: string): Promise<string[]> {
  const rows = await sql<{ user_id: string }>`
    select tam_id as user_id from organizations where id = ${organizationId} and tam_id is not null
    union
    select user_id from organization_members where organization_id = ${organizationId} and role = 'tam'`.execute(executor);
  return rows.rows.map((row) => row.user_id);
}

/** Of these organisations, the ones somebody follows (explicitly or as a named TAM), in one read. */
export async function organizationsWithFollowers(executor: Executor, organizationIds: readonly string[]): Promise<Set<string>> {
  if (organizationIds.length === 0) return new Set();
  const ids = [...new Set(organizationIds)];
  const rows = await sql<{ organization_id: string }>`
    select organization_id from organization_subscriptions where organization_id = any(${ids}::uuid[])
    union
    select id from organizations where id = any(${ids}::uuid[]) and tam_id is not null
    union
    select organization_id from organization_members where organization_id = any(${ids}::uuid[]) and role = 'tam'`.execute(executor);
  return new Set(rows.rows.map((row) => row.organization_id));
}

/** Everyone who follows an organisation: explicit subscribers and named TAMs. */
export async function followerIdsOf(executor: Executor, organizationId: string): Promise<string[]> {
  const explicit = await executor.selectFrom('organization_subscriptions').select('user_id').where('organization_id', '=', organizationId).execute();
  return [...new Set([...explicit.map((row) => row.user_id), ...(await namedTamIdsOf(executor, organizationId))])];
}

export type FollowedOrganizationRow = { organizationId: string; organizationName: string; subscribedAt: Date | null; isNamedTam: boolean };

/** The organisations a user follows, explicitly or as a named TAM, by name. */
export async function listFollowedOrganizationRows(executor: Executor, userId: string): Promise<FollowedOrganizationRow[]> {
  const rows = await sql<{ id: string; name: string; subscribed_at: Date | null; is_named_tam: boolean }>`
    select o.id, o.name, s.created_at as subscribed_at,
           (o.tam_id = ${userId} or exists (select 1 from organization_members m
              where m.organization_id = o.id and m.user_id = ${userId} and m.role = 'tam')) as is_named_tam
    from organizations o
    left join organization_subscriptions s on s.organization_id = o.id and s.user_id = ${userId}
    where s.user_id is not null
       or o.tam_id = ${userId}
       or exists (select 1 from organization_members m where m.organization_id = o.id and m.user_id = ${userId} and m.role = 'tam')
    order by lower(o.name), o.id`.execute(executor);
  return rows.rows.map((row) => ({ organizationId: row.id, organizationName: row.name, subscribedAt: row.subscribed_at, isNamedTam: row.is_named_tam === true }));
}
