import type { Db } from '../../platform/db/database.ts';
import type { Actor } from '../identity/index.ts';
import type { SavedView } from './saved-view.types.ts';
import { listSavedViewRows } from './saved-views.repo.ts';
import { QUEUE_VIEWS } from './tickets.types.ts';

/** The views every agent has, in the order the queue sidebar shows them ('all' is API-only). */
const BUILT_IN_VIEWS = QUEUE_VIEWS.filter((view) => view !== 'all');

/** The built-in views, then the caller's own saved views; another agent's views never show. */
export async function listViews(db: Db, actor: Actor): Promise<SavedView[]> {
  const builtIn: SavedView[] = BUILT_IN_VIEWS.map((view) => ({ id: null, slug: view, name: view, builtIn: true, ownerId: null, filters: { view }, sort: 'priority', createdAt: null }));
  return [...builtIn, ...(await listSavedViewRows(db, actor.userId))];
}
