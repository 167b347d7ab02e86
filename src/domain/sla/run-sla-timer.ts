/**
 * The SLA timer: turns clock checkpoints into warnings and breaches at the right moment.
 *
 * Each pass claims clocks whose next_check_at has come (FOR UPDATE SKIP LOCKED, in batches, one
 * transaction per batch), recomputes them from the case history, and for every checkpoint crossed
 * inserts a notice (clock, threshold) ON CONFLICT DO NOTHING; only the process whose insert was
 * new notifies, in the same transaction. So two app processes never notify twice, and a restart
 * misses nothing: a threshold crossed while no timer ran is found at the next pass (its
 * next_check_at is in the past) and its notice is marked late. The clock's next_check_at then
 * moves to the next checkpoint ahead (or null), and its state to `breached` once past due.
 *
 * Only running, paused or breached clocks are noticed: a clock already met when the timer gets
 * to it needs no warning (its breach flag is kept on the clock for reporting).
 * The timer never locks case rows (recomputations lock the case, then its clocks), so it cannot
 * deadlock with them.
 */
import type { Db, Executor } from '../../platform/db/database.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { startPeriodicJob, type PeriodicJob } from '../../platform/periodic-job.ts';
import { notifyUsers } from '../notifications/index.ts';
import { isTwentyFourSeven } from './calendar.types.ts';
import { createPolicyCache, type PlanClockPolicy } from './clock-policy.ts';
import { explainClocks } from './compute-clocks.ts';
import { historyNow, plannedCheck, toClockRecord } from './recompute-ticket-sla.ts';
import { loadCaseHistories, type CaseHistory } from './sla-history.repo.ts';
import { claimDueClocks, findNoticeRecipients, insertNotice, loadStoredClocks, postponeClockCheck, storedClockOf, updateClock, type DueClock } from './sla.repo.ts';
import { BREACH_THRESHOLD, type Checkpoint, type ExplainedSlaClock } from './sla.types.ts';

/** A notice handled this long after its moment is marked late (the timer was not running). */
export const LATE_AFTER_MS = 60_000;
/** A clock that cannot be computed (bad data) is looked at again after this delay. */
const RETRY_AFTER_MS = 5 * 60_000;

export type SlaTimerResult = { clocks: number; notices: number; notifications: number };
export type SlaTimerOptions = { now?: Date; batchSize?: number; onError?: (error: unknown, clock?: DueClock) => void };

async function notifyCheckpoint(tx: Executor, history: CaseHistory, policy: PlanClockPolicy, clockId: string, clock: ExplainedSlaClock, checkpoint: Checkpoint, now: Date): Promise<number> {
  const { ticket } = history;
  const isBreach = checkpoint.threshold === BREACH_THRESHOLD;
  const isLate = now.getTime() - checkpoint.at.getTime() > LATE_AFTER_MS;
  if (!(await insertNotice(tx, { clockId, threshold: checkpoint.threshold, crossedAt: checkpoint.at, isLate }))) return 0;
  const recipients = await findNoticeRecipients(tx, ticket.id);
  const userIds = [recipients.assigneeId, recipients.teamLeadId, policy.hasNamedTam ? recipients.tamId : null].filter((id): id is string => id !== null);
  const details = { clockKind: clock.kind, cycle: clock.cycle, threshold: checkpoint.threshold, dueAt: clock.dueAt.toISOString(), crossedAt: checkpoint.at.toISOString(), isLate };
  const notified = await notifyUsers(
    tx,
    {
      userIds,
      kind: isBreach ? 'sla.breach' : 'sla.warning',
      ticketId: ticket.id,
      payload: { ...details, number: ticket.number, plan: policy.planCode, priority: clock.explanation.priority, line: clock.explanation.lines[0] },
      dedupeKey: `sla:${clockId}:${checkpoint.threshold}`,
      // No escalation mail at night unless the plan is 24/7 and the case is P1.
      isUrgent: isTwentyFourSeven(policy.clock.calendar) && clock.explanation.priority === 'P1',
    },
    now,
  );
  // Agents only: `internal` keeps the realtime push away from customers.
  await enqueueEvent(tx, 'sla.notice', { ticketId: ticket.id, number: ticket.number, organizationId: ticket.organizationId, requesterId: ticket.requesterId, assigneeId: ticket.assigneeId, internal: true, isBreach, ...details });
  return notified;
}

async function runBatch(db: Db, now: Date, batchSize: number, onError: SlaTimerOptions['onError']): Promise<SlaTimerResult> {
  return db.transaction().execute(async (tx) => {
    const due = await claimDueClocks(tx, now, batchSize);
    const result: SlaTimerResult = { clocks: due.length, notices: 0, notifications: 0 };
    if (due.length === 0) return result;
    const ticketIds = [...new Set(due.map((clock) => clock.ticketId))];
    const histories = await loadCaseHistories(tx, ticketIds);
    const stored = await loadStoredClocks(tx, ticketIds);
    const policies = createPolicyCache();
    const computed = new Map<string, { policy: PlanClockPolicy; clocks: ExplainedSlaClock[]; at: Date } | undefined>();
    for (const row of due) {
      try {
        const history = histories.get(row.ticketId);
        if (!computed.has(row.ticketId)) {
          const policy = history?.ticket.planId ? await policies.get(tx, history.ticket.planId) : undefined;
          const at = history ? historyNow(history, now) : now;
          computed.set(row.ticketId, history && policy ? { policy, clocks: explainClocks(policy.clock, history.events, at), at } : undefined);
        }
        const entry = computed.get(row.ticketId);
        const clock = entry?.clocks.find((candidate) => candidate.kind === row.kind && candidate.cycle === row.cycle);
        if (!history || !entry || !clock) {
          await postponeClockCheck(tx, row.id, null); // the case lost its plan or this cycle: its recomputation removes the clock
          continue;
        }
        const noticed = new Set(storedClockOf(stored, row.ticketId, row.kind, row.cycle)?.notices ?? []);
        if (clock.state !== 'met') {
          for (const checkpoint of clock.checkpoints.filter((candidate) => candidate.at.getTime() <= entry.at.getTime() && !noticed.has(candidate.threshold))) {
            const notified = await notifyCheckpoint(tx, history, entry.policy, row.id, clock, checkpoint, entry.at);
            noticed.add(checkpoint.threshold);
            result.notices += 1;
            result.notifications += notified;
          }
        }
        await updateClock(tx, row.id, toClockRecord(row.ticketId, clock, plannedCheck(clock, noticed, entry.at), entry.at));
      } catch (error) {
        onError?.(error, row);
        await postponeClockCheck(tx, row.id, new Date(now.getTime() + RETRY_AFTER_MS));
      }
    }
    return result;
  });
}

/** One pass of the timer over every clock due at `now` (tests call it with an injected `now`). */
export async function runSlaTimer(db: Db, options: SlaTimerOptions = {}): Promise<SlaTimerResult> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 100;
  const total: SlaTimerResult = { clocks: 0, notices: 0, notifications: 0 };
  for (;;) {
    let batch: SlaTimerResult;
    try {
      batch = await runBatch(db, now, batchSize, options.onError);
    } catch (error) {
      // A database error rolled the batch back. Move the first due clock aside so that one bad
      // clock cannot hold every other warning back, then carry on (the error is reported).
      options.onError?.(error);
      const skipped = await db.transaction().execute(async (tx) => {
        const [first] = await claimDueClocks(tx, now, 1);
        if (first) await postponeClockCheck(tx, first.id, new Date(now.getTime() + RETRY_AFTER_MS));
        return first;
      });
      if (!skipped) return total;
      continue;
    }
    total.clocks += batch.clocks;
    total.notices += batch.notices;
    total.notifications += batch.notifications;
    if (batch.clocks < batchSize) return total;
  }
}

export type SlaTimer = PeriodicJob<SlaTimerResult>;

/** Runs the timer every `intervalMs` (default 1 s) until stopped; several app nodes may each run one. */
export function startSlaTimer(db: Db, options: { intervalMs?: number; batchSize?: number; onError?: (error: unknown, clock?: DueClock) => void } = {}): SlaTimer {
  return startPeriodicJob({
    name: 'sla-timer',
    intervalMs: options.intervalMs ?? 1000,
    pass: () => runSlaTimer(db, { batchSize: options.batchSize, onError: options.onError }),
    fallback: { clocks: 0, notices: 0, notifications: 0 },
    onError: options.onError,
  });
}
