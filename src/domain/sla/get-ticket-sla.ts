/**
 * The SLA clocks of a case with their explanations, as the case's reader may see them: computed
 * live from the history, the plan and its calendar (so consumed time is current and the
 * explanation reflects today's data; explanations are never stored), with the ids of the stored
 * clocks.
 * Agents also see the warning moments and the timer's next check; a customer sees the clocks of
 * their own case — the explanation only holds what the customer already sees on the case (public
 * replies, status and priority changes, plan and calendar), never an internal note.
 */
import type { Db } from '../../platform/db/database.ts';
import type { Actor } from '../identity/index.ts';
import { policyOfPlan, resolveSlaPolicy } from '../plans/index.ts';
import { canTicket, getTicket, ticketsError } from '../tickets/index.ts';
import { toClockPolicy } from './clock-policy.ts';
import { explainClocks } from './compute-clocks.ts';
import { historyNow } from './recompute-ticket-sla.ts';
import { loadCaseHistories } from './sla-history.repo.ts';
import { loadStoredClocks, storedClockOf } from './sla.repo.ts';
import type { ExplainedSlaClock, SlaClock, SlaClockView, SlaMetrics, TicketSla } from './sla.types.ts';

/** Reporting figures of one case: business time to first response and resolution, breach flags. */
export function metricsOf(clocks: readonly SlaClock[]): SlaMetrics {
  const first = clocks.find((clock) => clock.kind === 'first-response');
  const resolution = clocks.find((clock) => clock.kind === 'resolution');
  return {
    firstResponseBusinessSeconds: first?.businessSeconds ?? null,
    resolutionBusinessSeconds: resolution?.businessSeconds ?? null,
    firstResponseBreached: first ? first.isBreached : null,
    resolutionBreached: resolution ? resolution.isBreached : null,
    nextResponseBreaches: clocks.filter((clock) => clock.kind === 'next-response' && clock.isBreached).length,
  };
}

function toView(clock: ExplainedSlaClock, id: string | null, isAgentView: boolean): SlaClockView {
  return {
    id,
    kind: clock.kind,
    cycle: clock.cycle,
    state: clock.state,
    targetSeconds: clock.targetSeconds,
    startedAt: clock.startedAt.toISOString(),
    dueAt: clock.dueAt.toISOString(),
    stoppedAt: clock.stoppedAt?.toISOString() ?? null,
    businessSeconds: clock.businessSeconds,
    isBreached: clock.isBreached,
    ...(isAgentView && {
      nextCheckAt: clock.nextCheckAt?.toISOString() ?? null,
      warnings: clock.checkpoints.map((checkpoint) => ({ threshold: checkpoint.threshold, at: checkpoint.at.toISOString() })),
    }),
    explanation: clock.explanation,
  };
}

export async function getTicketSla(db: Db, actor: Actor, ticketId: string, now = new Date()): Promise<TicketSla> {
  const ticket = await getTicket(db, actor, ticketId);
  const isAgentView = canTicket(actor, 'ticket.read-internal', ticket);
  const history = (await loadCaseHistories(db, [ticketId])).get(ticketId);
  if (!history) throw ticketsError('TICKET_NOT_FOUND');
  // Before the case's first event is processed its plan is not set yet: show what it will be.
  const policy = ticket.planId ? await policyOfPlan(db, ticket.planId) : await resolveSlaPolicy(db, ticket.organizationId, new Date(ticket.createdAt));
  const at = historyNow(history, now);
  if (!policy) return { planId: null, planCode: null, isPolicyApplied: false, computedAt: at.toISOString(), clocks: [], metrics: metricsOf([]) };
  const clocks = explainClocks(toClockPolicy(policy).clock, history.events, at);
  const stored = await loadStoredClocks(db, [ticketId]);
  return {
    planId: policy.plan.id,
    planCode: policy.plan.code,
    isPolicyApplied: ticket.planId !== null,
    computedAt: at.toISOString(),
    clocks: clocks.map((clock) => toView(clock, storedClockOf(stored, ticketId, clock.kind, clock.cycle)?.id ?? null, isAgentView)),
    metrics: metricsOf(clocks),
  };
}
