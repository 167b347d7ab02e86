import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { actorIdOrNull, type Actor } from '../identity/index.ts';
import { eventPayload } from './create-ticket.ts';
import { loadVisibleTicket } from './get-ticket.ts';
import { ticketsError } from './tickets.errors.ts';
import { canTicket } from './tickets.policy.ts';
import { insertLink, insertMessage, updateTicketRow } from './tickets.repo.ts';
import type { Ticket } from './tickets.types.ts';

export const MergeTicketInput = z.object({ targetId: z.uuid().describe('The case that absorbs this one') }).strict();
export type MergeTicketInput = z.infer<typeof MergeTicketInput>;

/**
 * Merges the case into a target of the same organisation: the source is closed and points at the
 * target, its messages show in the target's conversation, and both timelines record it.
 */
export async function mergeTickets(db: Db, actor: Actor, sourceId: string, input: MergeTicketInput): Promise<Ticket> {
  if (sourceId === input.targetId) throw ticketsError('TICKET_MERGE_INVALID', { reason: 'same case' });
  return db.transaction().execute(async (tx) => {
    // Lock both rows in id order so two opposite merges cannot deadlock.
    const [firstId, secondId] = [sourceId, input.targetId].sort();
    const first = await loadVisibleTicket(tx, actor, firstId!, { forUpdate: true });
    const second = await loadVisibleTicket(tx, actor, secondId!, { forUpdate: true });
    const source = first.id === sourceId ? first : second;
    const target = first.id === sourceId ? second : first;
    if (!canTicket(actor, 'ticket.merge', source)) throw ticketsError('TICKET_FORBIDDEN');
    if (source.mergedIntoId || target.mergedIntoId || source.status === 'closed' || target.status === 'closed') {
      throw ticketsError('TICKET_MERGE_INVALID', { reason: 'already merged or closed' });
    }
    if (source.organizationId !== target.organizationId) throw ticketsError('TICKET_MERGE_INVALID', { reason: 'different organisations' });
    const now = new Date();
    await updateTicketRow(tx, sourceId, { mergedIntoId: target.id, status: 'closed', closedAt: now, solvedAt: source.solvedAt ? undefined : now });
    await insertLink(tx, { ticketId: sourceId, kind: 'duplicate', targetTicketId: target.id, externalRef: null, externalUrl: null, createdBy: actorIdOrNull(actor) });
    await insertMessage(tx, {
      ticketId: target.id,
      authorId: actorIdOrNull(actor),
      body: `Case #${source.number} "${source.subject}" was merged into this case.`,
      internal: true,
      channel: 'api',
    });
    const updatedTarget = await updateTicketRow(tx, target.id, { tags: [...new Set([...target.tags, ...source.tags])] });
    const actorId = actorIdOrNull(actor);
    await recordAudit(tx, { subjectType: 'ticket', subjectId: sourceId, ticketId: sourceId, actorId, action: 'ticket.merged-into', changes: { targetId: target.id, targetNumber: target.number, status: { before: source.status, after: 'closed' } } });
    await recordAudit(tx, { subjectType: 'ticket', subjectId: target.id, ticketId: target.id, actorId, action: 'ticket.merged', changes: { sourceId, sourceNumber: source.number } });
    await enqueueEvent(tx, 'ticket.merged', eventPayload(updatedTarget, { sourceId }));
    return updatedTarget;
  });
}
