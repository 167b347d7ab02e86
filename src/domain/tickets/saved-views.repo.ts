import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { SavedView, ViewFilters } from './saved-view.types.ts';
import type { QueueSort } from './tickets.types.ts';

type SavedViewRow = { id: string; slug: string; name: string; owner_id: string | null; filters: unknown; sort: string; created_at: Date | string };

function toSavedView(row: SavedViewRow): SavedView {
  const filters = (typeof row.filters === 'string' ? JSON.parse(row.filters) : row.filters) as ViewFilters;
  return { id: row.id, slug: row.slug, name: row.name, builtIn: false, ownerId: row.owner_id, filters, sort: row.sort as QueueSort, createdAt: new Date(row.created_at).toISOString() };
}

export async function listSavedViewRows(executor: Executor, ownerId: string): Promise<SavedView[]> {
  const result = await sql<SavedViewRow>`
    select id, slug, name, owner_id, filters, sort, created_at
    from saved_views where owner_id = ${ownerId} order by lower(name), created_at`.execute(executor);
  return result.rows.map(toSavedView);
}

export async function findSavedViewByName(executor: Executor, ownerId: string, name: string): Promise<SavedView | undefined> {
  const result = await sql<SavedViewRow>`
    select id, slug, name, owner_id, filters, sort, created_at
    from saved_views where owner_id = ${ownerId} and lower(name) = lower(${name})`.execute(executor);
  return result.rows[0] && toSavedView(result.rows[0]);
}

export async function insertSavedView(
  executor: Executor,
  record: { slug: string; name: string; ownerId: string; filters: ViewFilters; sort: QueueSort },
): Promise<SavedView> {
  const result = await sql<SavedViewRow>`
    insert into saved_views (slug, name, owner_id, filters, sort)
    values (${record.slug}, ${record.name}, ${record.ownerId}, ${JSON.stringify(record.filters)}::jsonb, ${record.sort})
    returning id, slug, name, owner_id, filters, sort, created_at`.execute(executor);
  return toSavedView(result.rows[0]!);
}

/** Deletes the view only if it belongs to ownerId; true when a row went away. */
export async function deleteSavedViewRow(executor: Executor, id: string, ownerId: string): Promise<boolean> {
  const result = await sql`delete from saved_views where id = ${id} and owner_id = ${ownerId}`.execute(executor);
  return Number(result.numAffectedRows ?? 0) > 0;
}
