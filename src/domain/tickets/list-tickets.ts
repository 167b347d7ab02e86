import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { findOrganization } from '../accounts/index.ts';
import { isAgent, listTeamIdsOfUser, type Actor } from '../identity/index.ts';
import { ticketsError } from './tickets.errors.ts';
import { queryQueue, type QueueFilter, type QueueTicket } from './tickets.repo.ts';
import { Priority, QueueSort, QueueView, TicketStatus, type Ticket } from './tickets.types.ts';

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value), z.array(item).max(10));

export const ListTicketsQuery = z
  .object({
    view: QueueView.optional().describe('Saved view: mine, team, unassigned, premium, pending-customer, all-open (default) or all'),
    status: csv(TicketStatus).optional(),
    priority: csv(Priority).optional(),
    organizationId: z.uuid().optional(),
    assigneeId: z.uuid().optional(),
    requesterId: z.uuid().optional(),
    tag: z.string().max(50).optional(),
    product: z.string().max(200).optional(),
    plan: z.string().max(50).optional(),
    sort: QueueSort.optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z.string().max(500).optional(),
  })
  .strict();
export type ListTicketsQuery = z.infer<typeof ListTicketsQuery>;

type Cursor = NonNullable<QueueFilter['after']>;

function encodeCursor(ticket: QueueTicket): string {
  const cursor: Cursor = { priority: ticket.priority, createdAt: ticket.createdAt, updatedAt: ticket.updatedAt, id: ticket.id, ...(ticket.slaDueAt !== undefined && { slaDueAt: ticket.slaDueAt }) };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

const CursorShape = z.object({ priority: z.string(), createdAt: z.iso.datetime(), updatedAt: z.iso.datetime(), id: z.uuid(), slaDueAt: z.iso.datetime().nullable().optional() }).strict();

function decodeCursor(cursor: string): Cursor {
  try {
    return CursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw ticketsError('CURSOR_INVALID');
  }
}

/** What a saved view means, for this actor. */
function viewFilter(view: QueueView, actor: Actor, teamIds: string[]): Partial<QueueFilter> {
  switch (view) {
    case 'mine':
      return { openOnly: true, assigneeId: actor.userId };
    case 'team':
      return { openOnly: true, teamIds };
    case 'unassigned':
      return { openOnly: true, assigneeId: null };
    case 'premium':
      return { openOnly: true, planCode: 'premium' };
    case 'pending-customer':
      return { openOnly: true, statuses: ['pending-customer'] };
    case 'all-open':
      return { openOnly: true };
    case 'all':
      return { openOnly: false };
  }
}

/**
 * A queue page. Contacts are confined to their organisation, and to their own requests unless
 * they are customer-admins or the organisation shares cases.
 */
export async function listTickets(
  db: Db,
  actor: Actor,
  query: ListTicketsQuery,
): Promise<{ items: Ticket[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50;
  const teamIds = query.view === 'team' ? await listTeamIdsOfUser(db, actor.userId) : [];
  const view = query.view ?? (isAgent(actor) ? 'all-open' : 'all');
  const filter: QueueFilter = {
    openOnly: true,
    ...viewFilter(view, actor, teamIds),
    sort: query.sort ?? 'priority',
    limit: limit + 1,
    ...(query.cursor && { after: decodeCursor(query.cursor) }),
  };
  if (query.status) filter.statuses = query.status;
  if (query.status?.some((status) => status === 'solved' || status === 'closed')) filter.openOnly = false;
  if (query.priority) filter.priorities = query.priority;
  if (query.organizationId) filter.organizationId = query.organizationId;
  if (query.assigneeId) filter.assigneeId = query.assigneeId;
  if (query.requesterId) filter.requesterId = query.requesterId;
  if (query.tag) filter.tag = query.tag.toLowerCase();
  if (query.product) filter.product = query.product;
  if (query.plan) filter.planCode = query.plan;
  if (!isAgent(actor)) {
    filter.organizationId = actor.organizationId ?? '00000000-0000-0000-0000-000000000000';
    const organization = actor.organizationId ? await findOrganization(db, actor.organizationId) : undefined;
    if (!actor.roles.includes('customer-admin') && !organization?.sharesCases) {
      // Confined to their own requests: asking for someone else's yields nothing, not one's own.
      if (query.requesterId && query.requesterId !== actor.userId) return { items: [], nextCursor: null };
      filter.requesterId = actor.userId;
    }
  }
  const rows = await queryQueue(db, filter);
  const page = rows.slice(0, limit);
  const items = page.map(({ slaDueAt: _sortKey, ...ticket }) => ticket);
  return { items, nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null };
}
