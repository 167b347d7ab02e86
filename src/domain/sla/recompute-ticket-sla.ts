/**
 * Recomputes the SLA clocks of cases from their history and stores them.
 *
 * Policy: the case's plan (tickets.plan_id). The case insert sets the plan in force for its
 * organisation (casebook_plan_in_force, the rule of resolveSlaPolicy); the first recomputation
 * records it with an audit row `sla.policy-applied`. A case written without a plan starts no
 * recomputation at its creation (no clocks to start, see ticketsToRecompute); a later event of the
 * case resolves the plan for the organisation at the case's creation, if any (a contract recorded
 * after the case was written), set then with the same audit row.
 * When the organisation of a case changes, the policy is resolved again for the new organisation
 * (at the time of the change) and recorded as `sla.policy-changed`. Cases of organisations without
 * a plan have no clocks.
 *
 * Idempotent: the clocks are a function of (history, policy, now) and a row that would not change
 * is not written, so replaying an event (the outbox delivers at least once) changes nothing.
 * The case rows are locked (FOR NO KEY UPDATE) first: recomputations of one case and the ticket
 * use cases that change it run one after the other, so the last writer saw the latest history.
 */
import type { Db, Executor, Tx } from '../../platform/db/database.ts';
import { recordAudits, type AuditEntry } from '../../platform/audit.ts';
import { resolveSlaPolicy } from '../plans/index.ts';
import { createPolicyCache, type PolicyCache } from './clock-policy.ts';
import { computeClocks } from './compute-clocks.ts';
import { loadCaseBatch, writeCaseSla, type CaseHistory, type CaseSlaChange, type SlaCaseCore } from './sla-history.repo.ts';
import { deleteClocks, isUnchanged, writeClocks, type ClockRecord, type ClockWrite, type StoredClock } from './sla.repo.ts';
import type { SlaClock } from './sla.types.ts';

export type RecomputeResult = { cases: number; clocks: number; written: number; removed: number };
const NO_NOTICES: ReadonlySet<number> = new Set();
const NO_STORED: readonly StoredClock[] = [];

/**
 * When the timer must look at a clock: the earliest checkpoint already crossed but not yet
 * noticed (so a warning is never skipped because an event recomputed the clock just after its
 * moment, or while the timer was down), else the next checkpoint ahead. Stopped clocks: never.
 */
export function plannedCheck(clock: SlaClock, noticed: ReadonlySet<number>, now: Date): Date | null {
  if (clock.state === 'met') return null;
  const missed = clock.checkpoints.find((checkpoint) => checkpoint.at.getTime() <= now.getTime() && !noticed.has(checkpoint.threshold));
  return missed ? missed.at : clock.nextCheckAt;
}

/** What is stored of a computed clock (never its checkpoints or an explanation). */
export function toClockRecord(ticketId: string, clock: SlaClock, nextCheckAt: Date | null, computedAt: Date): ClockRecord {
  const { kind, cycle, state, targetSeconds, startedAt, dueAt, stoppedAt, businessSeconds, isBreached } = clock;
  return { kind, cycle, state, targetSeconds, startedAt, dueAt, stoppedAt, businessSeconds, isBreached, nextCheckAt, ticketId, computedAt };
}

/**
 * `now`, or the last recorded event if it is later: events are stamped by the database clock and
 * a recorded event is never "in the future" of the case (an app clock a little behind must not
 * make a recomputation ignore the reply that triggered it).
 */
export function historyNow(history: CaseHistory<SlaCaseCore>, now: Date): Date {
  const last = history.events.reduce((latest, event) => Math.max(latest, event.at.getTime()), 0);
  return last > now.getTime() ? new Date(last) : now;
}

/** Policies resolved for an organisation on a date, shared by the cases of one batch (same transaction, same answer). */
type ResolvedPolicies = Map<string, ReturnType<typeof resolveSlaPolicy>>;

/** The plan changes and audit rows a batch's policy decisions call for, written together after the loop. */
type PolicyWrites = { plans: Array<{ ticketId: string; planId: string | null }>; audits: AuditEntry[] };

/**
 * The plan the case runs under, applying or re-resolving it (and recording that) when needed. The
 * writes go to `writes`: the caller stores them for the whole batch in two statements (one per case
 * each, with a round trip per statement, was most of the outbox's work for a new case on a plan).
 */
async function applyPolicy(tx: Executor, history: CaseHistory<SlaCaseCore>, policies: PolicyCache, now: Date, resolvedPolicies: ResolvedPolicies, writes: PolicyWrites): Promise<string | null> {
  const { ticket, appliedPolicy } = history;
  const organizationChanged = appliedPolicy !== null && appliedPolicy.organizationId !== ticket.organizationId;
  const audit = (action: string, changes: Record<string, unknown>) =>
    writes.audits.push({ subjectType: 'ticket', subjectId: ticket.id, ticketId: ticket.id, actorId: null, action, changes: { ...changes, organizationId: ticket.organizationId } });
  // resolveSlaPolicy looks at the contract in force on that date: one lookup per organisation and day per batch.
  const resolve = (at: Date) => {
    const key = `${ticket.organizationId}|${at.toISOString().slice(0, 10)}`;
    let resolving = resolvedPolicies.get(key);
    if (!resolving) resolvedPolicies.set(key, (resolving = resolveSlaPolicy(tx, ticket.organizationId, at)));
    return resolving;
  };
  if (ticket.planId && !organizationChanged) {
    if (!appliedPolicy) {
      // Usually the plan the case insert found in force (casebook_plan_in_force, the same rule); else set
      // elsewhere (an import, a plan override): adopted either way, so an organisation change is noticed later.
      const policy = await policies.get(tx, ticket.planId);
      const opened = (await resolve(ticket.createdAt))?.plan.id === ticket.planId;
      audit('sla.policy-applied', { plan: policy?.planCode ?? null, planId: ticket.planId, calendar: policy?.clock.calendarName ?? null, reason: opened ? 'case opened' : 'plan already set on the case' });
    }
    return ticket.planId;
  }
  const resolved = await resolve(organizationChanged ? now : ticket.createdAt);
  const planId = resolved?.plan.id ?? null;
  if (planId === ticket.planId && !organizationChanged) return planId;
  writes.plans.push({ ticketId: ticket.id, planId });
  const changes = { plan: resolved?.plan.code ?? null, planId, calendar: resolved?.calendar.name ?? null };
  if (organizationChanged) audit('sla.policy-changed', { ...changes, previousPlanId: ticket.planId, reason: 'organization changed' });
  else audit('sla.policy-applied', { ...changes, reason: 'case opened' });
  ticket.planId = planId;
  return planId;
}

/** Time spent per phase of a batch, in milliseconds, summed over batches (for the benchmark). */
export type RecomputePhases = { load: number; compute: number; write: number };

/**
 * Recomputes and stores the clocks of a batch of cases inside the caller's transaction, in a
 * fixed number of statements whatever the batch size: lock the case rows and read them, read
 * their histories and their stored clocks (one statement), compute in process, then one
 * set-based update of the stored clocks that changed (compared in process first: unchanged rows are
 * not even sent) (plus an insert for new clocks and a delete for clocks the case no longer has,
 * one update of the case rows whose plan or SLA due time changed, and one insert of the audit rows
 * of the plans applied or changed, when there are any).
 *
 * A case row carries the earliest due time of its ticking clocks, running or breached
 * (`sla_due_at`, 0020), which the SLA-due queue views sort by. It is written here, from the clocks
 * just computed, while the case row is locked; nothing else writes it. The timer turns a running
 * clock breached (same due time, still ticking); any other change it could make to a clock comes
 * from a history that changed, and the event that changed it has its own recomputation queued.
 */
export async function recomputeCaseBatch(
  tx: Tx,
  ticketIds: readonly string[],
  now: Date,
  policies: PolicyCache = createPolicyCache(),
  phases?: RecomputePhases,
): Promise<RecomputeResult> {
  let lap = performance.now();
  const spent = (phase: keyof RecomputePhases) => {
    const at = performance.now();
    if (phases) phases[phase] += at - lap;
    lap = at;
  };
  const { histories, stored, slaDue } = await loadCaseBatch(tx, ticketIds);
  spent('load');
  const resolvedPolicies: ResolvedPolicies = new Map();
  const policyWrites: PolicyWrites = { plans: [], audits: [] };
  const writes: ClockWrite[] = [];
  let clocks = 0;
  const kept = new Set<StoredClock>();
  // Per case, what changes on its row (plan, SLA due time): one statement for the batch.
  const caseChanges = new Map<string, CaseSlaChange>();
  const caseChange = (ticketId: string) => {
    let change = caseChanges.get(ticketId);
    if (!change) caseChanges.set(ticketId, (change = { ticketId }));
    return change;
  };
  for (const history of histories.values()) {
    const ticketId = history.ticket.id;
    // The usual case (plan applied, organisation unchanged, policy loaded) awaits nothing.
    const { ticket, appliedPolicy } = history;
    const isSettled = ticket.planId !== null && appliedPolicy !== null && appliedPolicy.organizationId === ticket.organizationId;
    const planId = isSettled ? ticket.planId : await applyPolicy(tx, history, policies, now, resolvedPolicies, policyWrites);
    const cached = planId ? policies.loaded(planId) : undefined;
    const policy = cached === null ? await policies.get(tx, planId!) : cached;
    // The earliest due time of the case's ticking clocks, running or already breached (the SLA-due
    // queue views sort by it, overdue first): none paused, met or without a plan.
    let dueAt: number | null = null;
    if (policy) {
      const at = historyNow(history, now);
      const storedOfCase = stored.get(ticketId);
      for (const clock of computeClocks(policy.clock, history.events, at)) {
        if ((clock.state === 'running' || clock.state === 'breached') && (dueAt === null || clock.dueAt.getTime() < dueAt)) dueAt = clock.dueAt.getTime();
        let current: StoredClock | undefined;
        for (const candidate of storedOfCase ?? NO_STORED) {
          if (candidate.kind === clock.kind && candidate.cycle === clock.cycle) {
            current = candidate;
            break;
          }
        }
        if (current) kept.add(current);
        const write: ClockWrite = { id: current?.id, ticketId, clock, nextCheckAt: plannedCheck(clock, current?.notices ?? NO_NOTICES, at), computedAt: at };
        clocks++;
        // A stored row that would not change is not sent at all (most rows after a calendar change).
        if (!current || !isUnchanged(current, write)) writes.push(write);
      }
    }
    if (dueAt !== (slaDue.get(ticketId) ?? null)) caseChange(ticketId).slaDueAt = dueAt === null ? null : new Date(dueAt);
  }
  for (const { ticketId, planId } of policyWrites.plans) caseChange(ticketId).planId = planId;
  // Stored clocks the cases no longer have: all of a case without a plan, next-response cycles beyond the last.
  const stale: string[] = [];
  for (const clocks of stored.values()) for (const clock of clocks) if (!kept.has(clock)) stale.push(clock.id);
  spent('compute');
  await writeCaseSla(tx, [...caseChanges.values()]);
  await recordAudits(tx, policyWrites.audits);
  const removed = await deleteClocks(tx, stale);
  const written = await writeClocks(tx, writes);
  spent('write');
  return { cases: histories.size, clocks, written, removed };
}

/** Recomputes one case's clocks (the outbox handler and tests call this). */
export async function recomputeTicketSla(db: Db, ticketId: string, now = new Date()): Promise<RecomputeResult> {
  return db.transaction().execute((tx) => recomputeCaseBatch(tx, [ticketId], now));
}
