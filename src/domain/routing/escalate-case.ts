import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { actorIdOrNull, identityError, SupportLine, teamExists, type Actor } from '../identity/index.ts';
import { notifyUsers } from '../notifications/index.ts';
import { isOpenStatus, lockTicketForRouting, routeTicket, Ticket, ticketsError } from '../tickets/index.ts';
import { pickTeamAgent, planOfCase } from './pick-team-agent.ts';
import { routingError } from './routing.errors.ts';
import { canRouting } from './routing.policy.ts';
import { listTeamSummaries, recordRoutedAssignment } from './routing.repo.ts';
import { LINE_ORDER, lineOf } from './routing.types.ts';

export const EscalateCaseInput = z
  .object({
    toLine: z.enum(['L2', 'L3']).describe('The line the case moves up to'),
    reason: z.string().trim().min(1).max(2000).describe('Why: kept on the timeline and sent to whoever takes the case'),
    teamId: z.uuid().optional().describe('Hand the case to another team (e.g. the L2 team); default: its current team'),
  })
  .strict();
export type EscalateCaseInput = z.infer<typeof EscalateCaseInput>;

export const Escalation = z.object({
  ticket: Ticket,
  fromLine: SupportLine,
  toLine: SupportLine,
  assigneeId: z.uuid().nullable().describe('The agent routing chose on the new line, or null: the case waits in the queue'),
  routing: z.string().describe('Why this assignee (or none)'),
  notifiedUserIds: z.array(z.uuid()),
});
export type Escalation = z.infer<typeof Escalation>;

/**
 * Moves an open case up one or more support lines (never down, never sideways) with a reason.
 * The case keeps its history; its assignee is replaced by an eligible agent of the new line chosen
 * by the team's strategy, or cleared when the team routes manually or nobody fits. The new
 * assignee (else the team lead) is notified; the timeline records from/to, reason and routing.
 */
export async function escalateCase(db: Db, actor: Actor, ticketId: string, input: EscalateCaseInput, options: { now?: Date } = {}): Promise<Escalation> {
  if (!canRouting(actor, 'case.escalate')) throw identityError('FORBIDDEN');
  const now = options.now ?? new Date();
  return db.transaction().execute(async (tx) => {
    const ticket = await lockTicketForRouting(tx, ticketId);
    if (!ticket) throw ticketsError('TICKET_NOT_FOUND');
    const fromLine = lineOf(ticket.supportLine);
    if (!isOpenStatus(ticket.status) || ticket.mergedIntoId) throw routingError('ESCALATION_INVALID', { status: ticket.status, reason: 'the case is not open' });
    if (LINE_ORDER.indexOf(input.toLine) <= LINE_ORDER.indexOf(fromLine)) {
      throw routingError('ESCALATION_INVALID', { from: fromLine, to: input.toLine, reason: 'escalation only moves a case up' });
    }
    if (input.teamId && !(await teamExists(tx, input.teamId))) throw ticketsError('TICKET_TEAM_INVALID');
    const teamId = input.teamId ?? ticket.teamId;
    const plan = await planOfCase(tx, ticket);
    const decision = teamId ? await pickTeamAgent(tx, teamId, { supportLine: input.toLine, isSeniorOnly: plan?.seniorOnly ?? false, priority: ticket.priority }, now) : undefined;
    const assigneeId = decision?.choice.assigneeId ?? null;
    const routing = decision ? decision.choice.reason : teamId ? 'the team routes manually: the case waits in its queue' : 'no team: the case waits in the unassigned queue';

    const updated = await routeTicket(tx, ticket, {
      assigneeId,
      teamId,
      supportLine: input.toLine,
      actorId: actorIdOrNull(actor),
      action: 'ticket.escalated',
      topic: 'ticket.escalated',
      details: { fromLine, toLine: input.toLine, reason: input.reason, routing, strategy: decision?.routing.strategy ?? 'manual' },
    });
    if (teamId && assigneeId) await recordRoutedAssignment(tx, teamId, assigneeId, now);

    const leadId = teamId ? ((await listTeamSummaries(tx, { teamId }))[0]?.leadId ?? null) : null;
    const notifiedUserIds = (assigneeId ? [assigneeId] : leadId ? [leadId] : []).filter((userId) => userId !== actor.userId);
    if (notifiedUserIds.length > 0) {
      await notifyUsers(tx, {
        userIds: notifiedUserIds,
        kind: 'case.escalated',
        ticketId: ticket.id,
        payload: { number: ticket.number, subject: ticket.subject, priority: ticket.priority, fromLine, toLine: input.toLine, reason: input.reason, escalatedBy: actorIdOrNull(actor), assigneeId },
        dedupeKey: `case.escalated:${ticket.id}:${input.toLine}`,
        isUrgent: ticket.priority === 'P1',
      });
    }
    return { ticket: updated, fromLine, toLine: input.toLine, assigneeId, routing, notifiedUserIds };
  });
}
