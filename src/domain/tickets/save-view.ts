import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import type { Actor } from '../identity/index.ts';
import { ViewFilters, type SavedView } from './saved-view.types.ts';
import { findSavedViewByName, insertSavedView, listSavedViewRows } from './saved-views.repo.ts';
import { ticketsError } from './tickets.errors.ts';
import { QueueSort } from './tickets.types.ts';

export const MAX_SAVED_VIEWS_PER_USER = 50;

export const SaveViewInput = z
  .object({
    name: z.string().trim().min(1).max(80),
    filters: ViewFilters.strict(),
    sort: QueueSort.default('priority'),
  })
  .strict();
export type SaveViewInput = z.infer<typeof SaveViewInput>;

function slugOf(name: string): string {
  const base = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'view';
  return `${base}-${randomBytes(4).toString('hex')}`;
}

/** Saves the current queue filters under a name, for the calling agent only. */
export async function saveView(db: Db, actor: Actor, input: SaveViewInput): Promise<SavedView> {
  const filters = Object.fromEntries(Object.entries(input.filters).filter(([, value]) => value !== undefined && value !== '')) as ViewFilters;
  return db.transaction().execute(async (tx) => {
    if (await findSavedViewByName(tx, actor.userId, input.name)) throw ticketsError('VIEW_NAME_TAKEN');
    if ((await listSavedViewRows(tx, actor.userId)).length >= MAX_SAVED_VIEWS_PER_USER) throw ticketsError('VIEW_LIMIT_REACHED');
    return insertSavedView(tx, { slug: slugOf(input.name), name: input.name, ownerId: actor.userId, filters, sort: input.sort });
  });
}
