import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { startPeriodicJob, type PeriodicJob } from '../periodic-job.ts';

/**
 * Processed outbox events are kept `retentionDays` (to look back at what was sent and when), then
 * deleted, `batchSize` rows per statement so that no statement holds many row locks or a long
 * transaction. Pending and dead events are never deleted: a dead event waits for an admin.
 * Returns how many were deleted. Safe with several app nodes (each deletes what it finds).
 */
export async function purgeProcessedEvents(db: Db, options: { retentionDays: number; batchSize?: number }): Promise<number> {
  const batchSize = options.batchSize ?? 5000;
  let total = 0;
  for (;;) {
    const result = await sql`
      delete from outbox where id in (
        select id from outbox where processed_at < now() - make_interval(days => ${options.retentionDays}) limit ${batchSize})`.execute(db);
    const deleted = Number(result.numAffectedRows ?? 0n);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/** The purge once an hour (the first pass at start). The outbox otherwise grows with every change, for ever. */
export function startOutboxPurge(db: Db, options: { retentionDays: number; intervalMs?: number; onError?: (error: unknown) => void }): PeriodicJob<number> {
  return startPeriodicJob({
    name: 'outbox-purge',
    intervalMs: options.intervalMs ?? 3_600_000,
    pass: () => purgeProcessedEvents(db, { retentionDays: options.retentionDays }),
    fallback: 0,
    onError: options.onError,
  });
}
