import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db, Executor, Tx } from '../../platform/db/database.ts';
import { groupCommit, type Outcome } from '../../platform/group-commit.ts';
import { actorIdOrNull, isAgent, teamExists, type Actor } from '../identity/index.ts';
import { ticketsError } from './tickets.errors.ts';
import {
  attachToMessage,
  findUserForTicket,
  insertMessageFiles,
  insertNewCases,
  type MailMessageRecord,
  type MessageFileRecord,
  type CaseRefusal,
  type NewCaseRecord,
} from './tickets.repo.ts';
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
export type PriorityDeriver = (tx: Executor, facts: { product: string | null; impact: string }) => Promise<{ priority: Priority | null; ruleId: string | null }>;

export type CreateTicketOptions = {
  derivePriority?: PriorityDeriver;
  /** An emailed first message: its folded part, safe HTML, source mail and the files it carried. */
  mail?: MailMessageRecord & { files: readonly MessageFileRecord[] };
  /** Extra fields on the `ticket.created` event (e.g. the inbound mail it came from). */
  eventExtra?: Record<string, unknown>;
  /** Opened by the panic button: the case is flagged, and its creation row and event say so. */
  panic?: boolean;
};

type CreateRequest = { actor: Actor; input: CreateTicketInput; options: CreateTicketOptions };

/**
 * Opens a case. Concurrent plain creations (no attachment, no mail) share one insert statement
 * (group commit, see platform/group-commit.ts): each caller still gets its own case or its own
 * error, and a case exists only once its statement committed.
 */
export async function createTicket(db: Db, actor: Actor, input: CreateTicketInput, options: CreateTicketOptions = {}): Promise<Ticket> {
  if (input.attachmentIds?.length || options.mail) return db.transaction().execute(async (tx) => (await createTicketInTransaction(tx, actor, input, options)).ticket);
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = groupCommit((requests: CreateRequest[]) => createTicketGroup(db, requests));
    batchers.set(db, batcher);
  }
  return batcher({ actor, input, options });
}

const batchers = new WeakMap<Db, (request: CreateRequest) => Promise<Ticket>>();

/**
 * Several creations at once, in one round trip: the insert statement checks the requester, assignee
 * and team itself and is atomic on its own, so no explicit transaction is needed. A request the
 * statement refuses gets its error; the others are created. If the statement fails, groupCommit runs
 * each alone.
 */
async function createTicketGroup(db: Db, requests: CreateRequest[]): Promise<Array<Outcome<Ticket>>> {
  const planned: Array<Outcome<NewCaseRecord>> = [];
  for (const { actor, input, options } of requests) {
    try {
      planned.push({ ok: true, value: planCase(actor, input, await derive(db, input, options), options) });
    } catch (error) {
      planned.push({ ok: false, error });
    }
  }
  const records = planned.flatMap((outcome) => (outcome.ok ? [outcome.value] : []));
  const results = records.length ? await insertNewCases(db, records) : [];
  const byId = new Map(records.map((record, index) => [record.id, results[index]!]));
  return planned.map((outcome): Outcome<Ticket> => {
    if (!outcome.ok) return outcome;
    const result = byId.get(outcome.value.id)!;
    return result.ok ? { ok: true, value: result.ticket } : { ok: false, error: refusalError(result.refused) };
  });
}

/** The core of createTicket in the caller's transaction (the mail intake commits the case with its inbound mail state). */
export async function createTicketInTransaction(
  tx: Tx,
  actor: Actor,
  input: CreateTicketInput,
  options: CreateTicketOptions = {},
): Promise<{ ticket: Ticket; messageId: string | null }> {
  const [created] = await createTicketsInTransaction(tx, [{ actor, input, options }]);
  return created!;
}

export type CreateTicketRequest = { actor: Actor; input: CreateTicketInput; options?: CreateTicketOptions };

/**
 * Several cases in the caller's transaction, each checked exactly as alone, with one insert
 * statement for all of them (the mail intake opens a lane's new cases together), then the files of
 * each first message. The first request that fails throws its error and none of them is written.
 * Results in request order.
 */
export async function createTicketsInTransaction(tx: Tx, requests: readonly CreateTicketRequest[]): Promise<Array<{ ticket: Ticket; messageId: string | null }>> {
  if (requests.length === 0) return [];
  const records: NewCaseRecord[] = [];
  for (const { actor, input, options = {} } of requests) records.push(planCase(actor, input, await derive(tx, input, options), options));
  const results = await insertNewCases(tx, records, { allOrNothing: true });
  const refused = results.find((result) => !result.ok && result.refused !== 'other-case');
  if (refused && !refused.ok) throw refusalError(refused.refused);
  const created: Array<{ ticket: Ticket; messageId: string | null }> = [];
  for (const [index, { actor, input, options = {} }] of requests.entries()) {
    const result = results[index]!;
    if (!result.ok) throw refusalError(result.refused);
    const { ticket } = result;
    const message = records[index]!.message;
    if (message) {
      const target = { ticketId: ticket.id, organizationId: ticket.organizationId, messageId: message.id, uploaderId: actor.userId };
      if (input.attachmentIds?.length) {
        const attached = await attachToMessage(tx, target, input.attachmentIds);
        if (attached.length !== input.attachmentIds.length) throw ticketsError('ATTACHMENT_NOT_FOUND');
      }
      if (options.mail?.files.length) await insertMessageFiles(tx, { ...target, uploaderId: null }, options.mail.files);
    }
    created.push({ ticket, messageId: message?.id ?? null });
  }
  return created;
}

/** The error a caller gets for a case the insert statement refused. */
function refusalError(refused: CaseRefusal | 'other-case') {
  switch (refused) {
    case 'requester':
    case 'other-case':
      return ticketsError('TICKET_REQUESTER_INVALID');
    case 'requester-organization':
      return ticketsError('TICKET_REQUESTER_INVALID', { reason: 'an agent-requested case needs organizationId' });
    case 'assignee':
      return ticketsError('TICKET_ASSIGNEE_INVALID');
    case 'team':
      return ticketsError('TICKET_TEAM_INVALID');
  }
}

const requesterOf = (actor: Actor, input: CreateTicketInput): string => (isAgent(actor) ? (input.requesterId ?? actor.userId) : actor.userId);

/** The priority rules' verdict when the caller gave an impact but no priority. */
async function derive(tx: Executor, input: CreateTicketInput, options: CreateTicketOptions) {
  return input.priority === undefined && input.impact && options.derivePriority ? options.derivePriority(tx, { product: input.product ?? null, impact: input.impact }) : undefined;
}

/** Builds one creation's rows from its input (throws the request's error); the insert checks it against the database. */
function planCase(actor: Actor, input: CreateTicketInput, derived: { priority: Priority | null; ruleId: string | null } | undefined, options: CreateTicketOptions): NewCaseRecord {
  const agent = isAgent(actor);
  if (!agent && (input.assigneeId || input.teamId || input.supportLine || input.tags?.length)) throw ticketsError('TICKET_FORBIDDEN');
  const requesterId = requesterOf(actor, input);
  // An agent may name the organisation (else the requester's); a contact opens cases for their own.
  const organizationId = agent ? (input.organizationId ?? null) : (actor.organizationId ?? null);
  const channel = agent ? (input.channel ?? 'api') : 'portal';
  const priority = input.priority ?? derived?.priority ?? 'P3';
  const status = input.assigneeId ? 'open' : 'new';
  const assigneeId = input.assigneeId ?? null;
  const hasMessage = Boolean(input.body || options.mail);
  return {
    id: randomUUID(),
    subject: input.subject,
    requesterId,
    organizationId,
    product: input.product ?? null,
    priority,
    severity: input.severity ?? null,
    status,
    assigneeId,
    teamId: input.teamId ?? null,
    supportLine: input.supportLine ?? null,
    tags: [...new Set(input.tags ?? [])],
    channel,
    message: hasMessage ? { id: randomUUID(), authorId: requesterId, body: input.body ?? '', mail: options.mail } : null,
    actorId: actorIdOrNull(actor),
    auditChanges: {
      status,
      priority,
      channel,
      requesterId,
      assigneeId,
      ...(input.impact && { impact: input.impact, priorityRuleId: derived?.ruleId ?? null }),
      ...(options.panic && { isPanic: true }),
    },
    eventExtra: options.panic ? { ...options.eventExtra, isPanic: true } : (options.eventExtra ?? {}),
    isPanic: options.panic ?? false,
  };
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
