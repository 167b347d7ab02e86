import type { Db } from '../../platform/db/database.ts';
import type { Actor } from '../identity/index.ts';
import { deleteSavedViewRow } from './saved-views.repo.ts';
import { ticketsError } from './tickets.errors.ts';

/** Deletes one of the caller's own views; someone else's view is reported as not found. */
export async function deleteView(db: Db, actor: Actor, viewId: string): Promise<void> {
  if (!(await deleteSavedViewRow(db, viewId, actor.userId))) throw ticketsError('VIEW_NOT_FOUND');
}
