import { z } from 'zod';
import type { Db, Tx } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { latestEnvironmentVersion } from '../accounts/index.ts';
import { actorIdOrNull, isAgent, teamExists, type Actor } from '../identity/index.ts';
import { ticketsError } from './tickets.errors.ts';
import { attachToMessage, findUserForTicket, insertMessage, insertMessageFiles, insertTicket, type MailMessageRecord, type MessageFileRecord } from './tickets.repo.ts';
import { Channel, Priority, Severity, Tag, type Ticket } from './tickets.types.ts';

export const CreateTicketInput = z
  .object({
    subject: z.string().trim().min(1).max(300),
    body: z.string().max(200_000).optional().describe('First message of the case (public)'),
    requesterId: z.uuid().optional().describe('Agents open cases on behalf of a contact; contacts are always the requester'),
    organizationId: z.uuid().optional().describe('Defaults to the requester organisation'),
    product: z.string().trim().min(1).max(200).nullable().optional(),
    priority: Priority.optional(),
    impact: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9-]{0,49}$/)
      .optional()
      .describe('Business impact (production-down, degraded, question…): without a priority, the priority rules decide it'),
    severity: Severity.nullable().optional(),
    assigneeId: z.uuid().nullable().optional(),
    teamId: z.uuid().nullable().optional(),
    supportLine: z.enum(['L1', 'L2', 'L3']).nullable().optional(),
    tags: z.array(Tag).max(50).optional(),
    channel: Channel.optional(),
    attachmentIds: z.array(z.uuid()).max(50).optional(),
  })
  .strict();
export type CreateTicketInput = z.infer<typeof CreateTicketInput>;

/** An assignee must be an active agent; a team must exist. Shared by create and update. */
export async function checkAssignment(tx: Tx, assigneeId: string | null | undefined, teamId: string | null | undefined): Promise<void> {
  if (assigneeId) {
    const assignee = await findUserForTicket(tx, assigneeId);
    if (!assignee || assignee.kind !== 'agent' || !assignee.isActive) throw ticketsError('TICKET_ASSIGNEE_INVALID');
  }
  if (teamId && !(await teamExists(tx, teamId))) throw ticketsError('TICKET_TEAM_INVALID');
}

/** Derives a priority from product and impact (the routing context's priority rules), in the caller's transaction. */
export type PriorityDeriver = (tx: Tx, facts: { product: string | null; impact: string }) => Promise<{ priority: Priority | null; ruleId: string | null }>;

export type CreateTicketOptions = {
  derivePriority?: PriorityDeriver;
  /** An emailed first message: its folded part, safe HTML, source mail and the files it carried. */
  mail?: MailMessageRecord & { files: readonly MessageFileRecord[] };
  /** Extra fields on the `ticket.created` event (e.g. the inbound mail it came from). */
  eventExtra?: Record<string, unknown>;
};

export async function createTicket(db: Db, actor: Actor, input: CreateTicketInput, options: CreateTicketOptions = {}): Promise<Ticket> {
  return db.transaction().execute(async (tx) => (await createTicketInTransaction(tx, actor, input, options)).ticket);
}

/** The core of createTicket in the caller's transaction (the mail intake commits the case with its inbound mail state). */
export async function createTicketInTransaction(
  tx: Tx,
  actor: Actor,
  input: CreateTicketInput,
  options: CreateTicketOptions = {},
): Promise<{ ticket: Ticket; messageId: string | null }> {
  const agent = isAgent(actor);
  if (!agent && (input.assigneeId || input.teamId || input.supportLine || input.tags?.length)) throw ticketsError('TICKET_FORBIDDEN');
  const requesterId = agent ? (input.requesterId ?? actor.userId) : actor.userId;
  const requester = await findUserForTicket(tx, requesterId);
  if (!requester || !requester.isActive) throw ticketsError('TICKET_REQUESTER_INVALID');
  const organizationId = agent ? (input.organizationId ?? requester.organizationId) : actor.organizationId;
  if (!organizationId) throw ticketsError('TICKET_REQUESTER_INVALID', { reason: 'an agent-requested case needs organizationId' });
  if (requester.kind === 'contact' && requester.organizationId !== organizationId) throw ticketsError('TICKET_REQUESTER_INVALID');
  await checkAssignment(tx, input.assigneeId, input.teamId);
  const channel = agent ? (input.channel ?? 'api') : 'portal';
  const derived =
    input.priority === undefined && input.impact && options.derivePriority
      ? await options.derivePriority(tx, { product: input.product ?? null, impact: input.impact })
      : undefined;
  const ticket = await insertTicket(tx, {
    subject: input.subject,
    requesterId,
    organizationId,
    product: input.product ?? null,
    priority: input.priority ?? derived?.priority ?? 'P3',
    severity: input.severity ?? null,
    status: input.assigneeId ? 'open' : 'new',
    assigneeId: input.assigneeId ?? null,
    teamId: input.teamId ?? null,
    supportLine: input.supportLine ?? null,
    tags: [...new Set(input.tags ?? [])],
    channel,
    environmentVersion: await latestEnvironmentVersion(tx, organizationId),
  });
  let messageId: string | null = null;
  if (input.body || options.mail) {
    const files = options.mail?.files ?? [];
    const message = await insertMessage(tx, { ticketId: ticket.id, authorId: requesterId, body: input.body ?? '', internal: false, channel, mail: options.mail });
    messageId = message.id;
    const target = { ticketId: ticket.id, organizationId, messageId: message.id, uploaderId: actor.userId };
    const attached = await attachToMessage(tx, target, input.attachmentIds ?? []);
    if (attached.length !== (input.attachmentIds?.length ?? 0)) throw ticketsError('ATTACHMENT_NOT_FOUND');
    await insertMessageFiles(tx, { ...target, uploaderId: null }, files);
  }
  await recordAudit(tx, {
    subjectType: 'ticket',
    subjectId: ticket.id,
    ticketId: ticket.id,
    actorId: actorIdOrNull(actor),
    action: 'ticket.created',
    changes: {
      status: ticket.status,
      priority: ticket.priority,
      channel,
      requesterId,
      assigneeId: ticket.assigneeId,
      ...(input.impact && { impact: input.impact, priorityRuleId: derived?.ruleId ?? null }),
    },
  });
  await enqueueEvent(tx, 'ticket.created', eventPayload(ticket, options.eventExtra));
  return { ticket, messageId };
}

/** What realtime subscribers need to route an event: never the case content itself. */
export function eventPayload(ticket: Ticket, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ticketId: ticket.id,
    number: ticket.number,
    organizationId: ticket.organizationId,
    requesterId: ticket.requesterId,
    assigneeId: ticket.assigneeId,
    status: ticket.status,
    priority: ticket.priority,
    channel: ticket.channel,
    ...extra,
  };
}
