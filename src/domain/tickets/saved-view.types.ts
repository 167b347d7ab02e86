import { z } from 'zod';
import { ListTicketsQuery } from './list-tickets.ts';
import { QueueSort } from './tickets.types.ts';

/** A saved view's filters: exactly the queue's filters (the same zod schema validates both). */
export const ViewFilters = ListTicketsQuery.pick({ view: true, status: true, priority: true, organizationId: true, assigneeId: true, tag: true, product: true, plan: true });
export type ViewFilters = z.infer<typeof ViewFilters>;

export const SavedView = z.object({
  id: z.uuid().nullable().describe('null for the built-in views'),
  slug: z.string(),
  name: z.string().describe('For built-in views, the slug doubles as the name to translate'),
  builtIn: z.boolean(),
  ownerId: z.uuid().nullable(),
  filters: z.record(z.string(), z.unknown()),
  sort: QueueSort,
  createdAt: z.string().nullable(),
});
export type SavedView = {
  id: string | null;
  slug: string;
  name: string;
  builtIn: boolean;
  ownerId: string | null;
  filters: ViewFilters;
  sort: QueueSort;
  createdAt: string | null;
};
