import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { isAgent, type Actor } from '../identity/index.ts';
import { loadVisibleTicket } from './get-ticket.ts';
import { ticketsError } from './tickets.errors.ts';

export const PRESENCE_STATES = ['viewing', 'typing', 'left'] as const;
export const AnnouncePresenceInput = z.object({ state: z.enum(PRESENCE_STATES).describe('viewing (a heartbeat every ~20 s), typing, or left') }).strict();
export type AnnouncePresenceInput = z.infer<typeof AnnouncePresenceInput>;

/**
 * Collision detection: an agent says they are viewing, typing on, or leaving a case; the other
 * agents on it learn it through the event stream. Nothing is stored but the outbox row; the event
 * is marked internal so customers never receive it.
 */
export async function announcePresence(db: Db, actor: Actor, ticketId: string, input: AnnouncePresenceInput): Promise<void> {
  if (!isAgent(actor)) throw ticketsError('TICKET_FORBIDDEN');
  await db.transaction().execute(async (tx) => {
    const ticket = await loadVisibleTicket(tx, actor, ticketId);
    await enqueueEvent(tx, 'ticket.presence', {
      ticketId,
      organizationId: ticket.organizationId,
      requesterId: ticket.requesterId,
      internal: true,
      userId: actor.userId,
      name: actor.name,
      state: input.state,
    });
  });
}
