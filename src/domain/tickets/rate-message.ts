import { z } from 'zod';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import type { Db } from '../../platform/db/database.ts';
import { isAgent, type Actor } from '../identity/index.ts';
import { eventPayload } from './create-ticket.ts';
import { loadVisibleTicket } from './get-ticket.ts';
import { findMessageForRating, listRatingRows, upsertRating } from './ratings.repo.ts';
import { ticketsError } from './tickets.errors.ts';

export const RatingValue = z.enum(['good', 'bad']);
export type RatingValue = z.infer<typeof RatingValue>;

export const RateMessageInput = z
  .object({
    rating: RatingValue,
    comment: z.string().trim().max(2000).nullable().optional().describe('Why, in the customer’s words'),
  })
  .strict();
export type RateMessageInput = z.infer<typeof RateMessageInput>;

export const MessageRating = z.object({
  messageId: z.uuid(),
  ticketId: z.uuid(),
  rating: RatingValue,
  comment: z.string().nullable(),
  ratedBy: z.uuid(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MessageRating = z.infer<typeof MessageRating>;

/**
 * A customer rates an agent's public answer on a case they can read: good or bad, with an optional
 * comment. Rating the same answer again replaces the earlier rating. Internal notes stay invisible
 * (MESSAGE_NOT_FOUND), and a customer's own messages cannot be rated.
 */
export async function rateMessage(db: Db, actor: Actor, ticketId: string, messageId: string, input: RateMessageInput): Promise<MessageRating> {
  if (isAgent(actor)) throw ticketsError('RATING_CUSTOMERS_ONLY');
  return db.transaction().execute(async (tx) => {
    const ticket = await loadVisibleTicket(tx, actor, ticketId);
    const message = await findMessageForRating(tx, ticketId, messageId);
    if (!message || message.internal) throw ticketsError('MESSAGE_NOT_FOUND');
    if (message.authorKind !== 'agent') throw ticketsError('RATING_MESSAGE_INVALID');
    const comment = input.comment ? input.comment : null;
    const rating = await upsertRating(tx, { messageId, ticketId, organizationId: ticket.organizationId, ratedBy: actor.userId, rating: input.rating, comment });
    await recordAudit(tx, { subjectType: 'ticket', subjectId: ticketId, ticketId, actorId: actor.userId, action: 'ticket.rated', changes: { messageId, rating: input.rating, hasComment: comment !== null } });
    await enqueueEvent(tx, 'ticket.rated', eventPayload(ticket, { messageId, rating: input.rating, organizationSharesCases: ticket.organizationSharesCases }));
    return rating;
  });
}

/** The ratings on a case, for anyone who may read it. */
export async function listMessageRatings(db: Db, actor: Actor, ticketId: string): Promise<MessageRating[]> {
  await loadVisibleTicket(db, actor, ticketId);
  return listRatingRows(db, ticketId);
}
