import type { Db } from '../../platform/db/database.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { startPeriodicJob, type PeriodicJob } from '../../platform/periodic-job.ts';
import { listStalledInboundMails, markInboundMailFailed } from './inbound-mail.repo.ts';

/** Processing attempts (three rounds of outbox retries) after which a stored mail is parked as failed. */
export const MAX_INBOUND_ATTEMPTS = 24;

export type RequeueResult = { requeued: number; failed: number };

/**
 * Nothing lost: a stored mail whose processing ran out of outbox retries (the database was down for
 * a while, a bug fixed since) is handed to processing again; after MAX_INBOUND_ATTEMPTS it is parked
 * as `failed` with its errors, still stored. Processing is idempotent, so a second event is harmless.
 */
export async function requeueStalledInboundMails(db: Db, options: { olderThanMinutes?: number; limit?: number } = {}): Promise<RequeueResult> {
  const stalled = await listStalledInboundMails(db, options.olderThanMinutes ?? 30, options.limit ?? 100);
  const result: RequeueResult = { requeued: 0, failed: 0 };
  for (const mail of stalled) {
    if (mail.attempts >= MAX_INBOUND_ATTEMPTS) {
      await markInboundMailFailed(db, mail.id, `gave up after ${mail.attempts} processing attempts`);
      result.failed++;
    } else {
      await enqueueEvent(db, 'mail.received', { inboundMailId: mail.id, requeued: true });
      result.requeued++;
    }
  }
  return result;
}

export function startInboundRequeue(db: Db, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): PeriodicJob<RequeueResult> {
  return startPeriodicJob({
    name: 'mail-inbound-requeue',
    intervalMs: options.intervalMs ?? 5 * 60_000,
    pass: () => requeueStalledInboundMails(db),
    fallback: { requeued: 0, failed: 0 },
    onError: options.onError,
  });
}
