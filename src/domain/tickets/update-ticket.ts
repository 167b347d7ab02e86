import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { diffFields, recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { actorIdOrNull, isAgent, type Actor } from '../identity/index.ts';
import { checkAssignment, eventPayload } from './create-ticket.ts';
import { loadVisibleTicket } from './get-ticket.ts';
import { allowedTransitions, canTransition } from './ticket-status.ts';
import { ticketsError } from './tickets.errors.ts';
import { canTicket } from './tickets.policy.ts';
import { updateTicketRow, type TicketPatchRecord } from './tickets.repo.ts';
import { Priority, Severity, Tag, TicketStatus, type Ticket } from './tickets.types.ts';

export const UpdateTicketInput = z
  .object({
    subject: z.string().trim().min(1).max(300).optional(),
    status: TicketStatus.optional(),
    priority: Priority.optional(),
    severity: Severity.nullable().optional(),
    assigneeId: z.uuid().nullable().optional(),
    teamId: z.uuid().nullable().optional(),
    supportLine: z.enum(['L1', 'L2', 'L3']).nullable().optional(),
    product: z.string().trim().min(1).max(200).nullable().optional(),
    tags: z.array(Tag).max(50).optional(),
  })
  .strict();
export type UpdateTicketInput = z.infer<typeof UpdateTicketInput>;

export async function updateTicket(db: Db, actor: Actor, ticketId: string, input: UpdateTicketInput): Promise<Ticket> {
  return db.transaction().execute(async (tx) => {
    const current = await loadVisibleTicket(tx, actor, ticketId, { forUpdate: true });
    const { status, ...fields } = input;
    const touchesFields = Object.values(fields).some((value) => value !== undefined);
    if (touchesFields && !canTicket(actor, 'ticket.update', current)) throw ticketsError('TICKET_FORBIDDEN');
    if (status !== undefined && !canTicket(actor, 'ticket.update-status', current)) throw ticketsError('TICKET_FORBIDDEN');
    if (current.status === 'closed' && touchesFields) throw ticketsError('TICKET_CLOSED');
    const patch: TicketPatchRecord = { ...fields, ...(fields.tags && { tags: [...new Set(fields.tags)] }) };
    if (status !== undefined && status !== current.status) {
      const isCustomer = !isAgent(actor);
      if (!canTransition(current.status, status, isCustomer)) {
        throw ticketsError('TICKET_TRANSITION_INVALID', { from: current.status, to: status, allowed: allowedTransitions(current.status, isCustomer) });
      }
      patch.status = status;
      if (status === 'solved') patch.solvedAt = new Date();
      if (status === 'closed') patch.closedAt = new Date();
      if (status === 'open') patch.solvedAt = null;
    }
    await checkAssignment(tx, fields.assigneeId, fields.teamId);
    const changes = diffFields(current as unknown as Record<string, unknown>, { ...fields, tags: patch.tags, status: patch.status });
    if (Object.keys(changes).length === 0) return stripAccess(current);
    if (patch.assigneeId && current.status === 'new' && patch.status === undefined) patch.status = 'open';
    const updated = await updateTicketRow(tx, ticketId, patch);
    await recordAudit(tx, { subjectType: 'ticket', subjectId: ticketId, ticketId, actorId: actorIdOrNull(actor), action: 'ticket.updated', changes });
    await enqueueEvent(tx, 'ticket.updated', eventPayload(updated, { changed: Object.keys(changes) }));
    return updated;
  });
}

function stripAccess(ticket: Ticket & { organizationSharesCases?: boolean }): Ticket {
  const { organizationSharesCases: _access, ...rest } = ticket;
  return rest;
}
