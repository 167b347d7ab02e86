import type { Db, Executor } from '../../platform/db/database.ts';
import type { Actor } from '../identity/index.ts';
import { ticketsError } from './tickets.errors.ts';
import { canTicket } from './tickets.policy.ts';
import { findTicket, type TicketWithAccess } from './tickets.repo.ts';
import type { Ticket } from './tickets.types.ts';

/** The case if the actor may see it; otherwise TICKET_NOT_FOUND (never a hint that it exists). */
export async function loadVisibleTicket(executor: Executor, actor: Actor, ticketId: string, options: { forUpdate?: boolean } = {}): Promise<TicketWithAccess> {
  const ticket = await findTicket(executor, ticketId, options);
  if (!ticket || !canTicket(actor, 'ticket.read', ticket)) throw ticketsError('TICKET_NOT_FOUND');
  return ticket;
}

export async function getTicket(db: Db, actor: Actor, ticketId: string): Promise<Ticket> {
  const { organizationSharesCases: _access, ...ticket } = await loadVisibleTicket(db, actor, ticketId);
  return ticket;
}
