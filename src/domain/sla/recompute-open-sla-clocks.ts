/**
 * Recomputes the clocks of every open case (of some plans) after a policy change: a calendar
 * holiday added, a target or a pause status changed. Batches of cases, each batch one transaction
 * (lock the cases, load their histories in three queries, compute in process, one upsert); up to
 * `concurrency` batches in flight on PostgreSQL. Closed cases keep the clocks they stopped with.
 */
import type { Db } from '../../platform/db/database.ts';
import { createPolicyCache } from './clock-policy.ts';
import { recomputeCaseBatch, type RecomputeResult } from './recompute-ticket-sla.ts';
import { listCaseIds } from './sla.repo.ts';

export type RecomputeOpenOptions = {
  planIds?: readonly string[];
  batchSize?: number;
  concurrency?: number;
  now?: Date;
  onProgress?: (done: number) => void;
};

export async function recomputeOpenSlaClocks(db: Db, options: RecomputeOpenOptions = {}): Promise<RecomputeResult> {
  const batchSize = options.batchSize ?? 1000;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const now = options.now ?? new Date();
  const policies = createPolicyCache();
  const total: RecomputeResult = { cases: 0, clocks: 0, written: 0, removed: 0 };
  const inFlight = new Set<Promise<void>>();
  let afterId: string | undefined;
  for (;;) {
    const ids = await listCaseIds(db, { planIds: options.planIds, openOnly: true, afterId, limit: batchSize });
    if (ids.length === 0) break;
    afterId = ids[ids.length - 1];
    const work = db
      .transaction()
      .execute((tx) => recomputeCaseBatch(tx, ids, now, policies))
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
