import type { Db } from '../../platform/db/database.ts';
import { startPeriodicJob, type PeriodicJob } from '../../platform/periodic-job.ts';
import { autoAssignTicket } from './auto-assign-ticket.ts';
import { listCasesWaitingForShift } from './routing.repo.ts';

export type ReofferResult = { looked: number; assigned: number };

/**
 * Shift start: a non-urgent case that arrived while nobody of its team was on shift waited unassigned
 * in the team queue; when an agent comes on shift it is offered again through the team's strategy
 * (same rules, same locks as a new case). A success is written on the timeline with
 * `trigger: shift-start`; a case still without anyone on shift is left as it is, without new entries.
 */
export async function reofferWaitingCases(db: Db, options: { now?: Date; limit?: number } = {}): Promise<ReofferResult> {
  const ids = await listCasesWaitingForShift(db, options.limit ?? 100);
  let assigned = 0;
  for (const id of ids) {
    const outcome = await autoAssignTicket(db, id, { now: options.now, reoffer: true });
    if (outcome.outcome === 'assigned') assigned++;
  }
  return { looked: ids.length, assigned };
}

/** Every node runs it (the per-case and per-team locks of autoAssignTicket keep it single). */
export function startShiftReoffer(db: Db, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): PeriodicJob<ReofferResult> {
  return startPeriodicJob({
    name: 'routing-shift-reoffer',
    intervalMs: options.intervalMs ?? 60_000,
    pass: () => reofferWaitingCases(db),
    fallback: { looked: 0, assigned: 0 },
    onError: options.onError,
  });
}
