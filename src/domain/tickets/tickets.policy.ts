import { isAgent, type Actor } from '../identity/index.ts';
import type { Ticket } from './tickets.types.ts';

export type TicketAction = 'ticket.read' | 'ticket.update' | 'ticket.update-status' | 'ticket.reply' | 'ticket.note' | 'ticket.link' | 'ticket.merge' | 'ticket.read-internal';
type TicketSubject = Pick<Ticket, 'organizationId' | 'requesterId'> & { organizationSharesCases?: boolean };

/**
 * Agents see and work every case. A customer-admin sees every case of their organisation; a
 * customer sees their own requests, or all of the organisation's when it shares cases. Contacts
 * never see internal notes and only solve, close, reopen and reply.
 */
export function canTicket(actor: Actor, action: TicketAction, ticket: TicketSubject): boolean {
  if (isAgent(actor)) return true;
  const isOwnOrganization = actor.organizationId !== null && actor.organizationId === ticket.organizationId;
  const canSee =
    isOwnOrganization &&
    (actor.roles.includes('customer-admin') || ticket.requesterId === actor.userId || ticket.organizationSharesCases === true);
  switch (action) {
    case 'ticket.read':
    case 'ticket.reply':
    case 'ticket.update-status':
      return canSee;
    default:
      return false;
  }
}
