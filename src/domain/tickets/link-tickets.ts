import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { actorIdOrNull, type Actor } from '../identity/index.ts';
import { eventPayload } from './create-ticket.ts';
import { loadVisibleTicket } from './get-ticket.ts';
import { ticketsError } from './tickets.errors.ts';
import { canTicket } from './tickets.policy.ts';
import { findTicketIdByNumber, insertLink, listLinkRows } from './tickets.repo.ts';
import { LinkKind, type TicketLink } from './tickets.types.ts';

export const CreateLinkInput = z
  .object({
    kind: LinkKind,
    targetId: z.uuid().optional().describe('The other Casebook case (related, duplicate)'),
    targetNumber: z.number().int().positive().optional().describe('The other Casebook case by its number (#1042), instead of targetId'),
    externalRef: z.string().trim().min(1).max(200).optional().describe('The upstream vendor case reference'),
    externalUrl: z.url().max(2000).optional(),
  })
  .strict();
export type CreateLinkInput = z.infer<typeof CreateLinkInput>;

export async function linkTickets(db: Db, actor: Actor, ticketId: string, given: CreateLinkInput): Promise<TicketLink> {
  const { targetNumber, ...input } = given;
  if (targetNumber !== undefined) {
    if (input.targetId !== undefined) throw ticketsError('TICKET_LINK_INVALID');
    // An unknown number reads like an invisible case: not found, never a hint that it exists.
    input.targetId = await findTicketIdByNumber(db, targetNumber);
    if (!input.targetId) throw ticketsError('TICKET_NOT_FOUND');
  }
  const needsTarget = input.kind !== 'upstream-vendor';
  if (needsTarget ? !input.targetId || input.targetId === ticketId : !input.externalRef) throw ticketsError('TICKET_LINK_INVALID');
  return db.transaction().execute(async (tx) => {
    const ticket = await loadVisibleTicket(tx, actor, ticketId, { forUpdate: true });
    if (!canTicket(actor, 'ticket.link', ticket)) throw ticketsError('TICKET_FORBIDDEN');
    if (input.targetId) await loadVisibleTicket(tx, actor, input.targetId);
    const link = await insertLink(tx, {
      ticketId,
      kind: input.kind,
      targetTicketId: input.targetId ?? null,
      externalRef: input.externalRef ?? null,
      externalUrl: input.externalUrl ?? null,
      createdBy: actorIdOrNull(actor),
    });
    await recordAudit(tx, { subjectType: 'ticket', subjectId: ticketId, ticketId, actorId: actorIdOrNull(actor), action: 'link.added', changes: { link } });
    if (input.targetId) {
      await recordAudit(tx, { subjectType: 'ticket', subjectId: input.targetId, ticketId: input.targetId, actorId: actorIdOrNull(actor), action: 'link.added', changes: { link } });
    }
    await enqueueEvent(tx, 'ticket.linked', eventPayload(ticket, { linkId: link.id }));
    return link;
  });
}

export async function listLinks(db: Db, actor: Actor, ticketId: string): Promise<TicketLink[]> {
  const ticket = await loadVisibleTicket(db, actor, ticketId);
  if (!canTicket(actor, 'ticket.read-internal', ticket)) return [];
  return listLinkRows(db, ticketId);
}
