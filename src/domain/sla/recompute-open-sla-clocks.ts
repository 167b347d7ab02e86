/**
 * Recomputes the clocks of every open case (of some plans) after a policy change: a calendar
 * holiday added, a target or a pause status changed. Cases are taken in keyset pages by number;
 * each batch is one transaction (lock and read the cases, read their histories and stored clocks,
 * compute in process, one set-based UPDATE of the clocks that changed), so a batch costs the same
 * few statements whatever its size. Up to `concurrency` batches in flight on PostgreSQL. The
 * result is the one the per-event recomputation gives (same function); closed cases keep the
 * clocks they stopped with.
 */
import type { Db } from '../../platform/db/database.ts';
import { createPolicyCache } from './clock-policy.ts';
import { recomputeCaseBatch, type RecomputePhases, type RecomputeResult } from './recompute-ticket-sla.ts';
import { listCaseIds, preferIndexLookups } from './sla.repo.ts';

export type RecomputeOpenOptions = {
  planIds?: readonly string[];
  batchSize?: number;
  concurrency?: number;
  now?: Date;
  onProgress?: (done: number) => void;
  /** Summed time per phase (load, compute, write) over the batches, filled in when given. */
  phases?: RecomputePhases;
};

export async function recomputeOpenSlaClocks(db: Db, options: RecomputeOpenOptions = {}): Promise<RecomputeResult> {
  const batchSize = options.batchSize ?? 1000;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const now = options.now ?? new Date();
  const policies = createPolicyCache();
  const total: RecomputeResult = { cases: 0, clocks: 0, written: 0, removed: 0 };
  const inFlight = new Set<Promise<void>>();
  let afterNumber: number | undefined;
  for (;;) {
    const page = await listCaseIds(db, { planIds: options.planIds, openOnly: true, afterNumber, limit: batchSize });
    if (page.length === 0) break;
    afterNumber = page[page.length - 1]!.number;
    const ids = page.map((ticket) => ticket.id);
    const work = db
      .transaction()
      .execute(async (tx) => {
        await preferIndexLookups(tx);
        return recomputeCaseBatch(tx, ids, now, policies, options.phases);
      })
      .then((result) => {
        total.cases += result.cases;
        total.clocks += result.clocks;
        total.written += result.written;
        total.removed += result.removed;
        options.onProgress?.(total.cases);
      });
    const tracked = work.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (ids.length < batchSize) break;
  }
  await Promise.all(inFlight);
  return total;
}
