import type { Db } from '../../platform/db/database.ts';
import { isAgent, type Actor } from '../identity/index.ts';
import { accountsError } from './accounts.errors.ts';
import { canAccounts } from './accounts.policy.ts';
import { findOrganization, listOrganizationRows } from './accounts.repo.ts';
import type { Organization } from './accounts.types.ts';

export async function getOrganization(db: Db, actor: Actor, id: string): Promise<Organization> {
  const organization = await findOrganization(db, id);
  if (!organization || !canAccounts(actor, 'organization.read', id)) throw accountsError('ORGANIZATION_NOT_FOUND');
  return organization;
}

export type ListOrganizationsQuery = { limit?: number; cursor?: string; search?: string };

/** Agents list every organisation; a contact lists only their own. */
export async function listOrganizations(db: Db, actor: Actor, query: ListOrganizationsQuery): Promise<{ items: Organization[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50;
  const rows = await listOrganizationRows(db, {
    limit: limit + 1,
    after: query.cursor,
    search: query.search,
    ...(isAgent(actor) ? {} : { onlyId: actor.organizationId }),
  });
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}
