/**
 * Per-sender rate limit on new cases by mail (CASEBOOK_MAIL_RATE_LIMIT, e.g. 20/10m): a storm of
 * mail from one address does not become a storm of cases. Only new cases count and only new
 * cases are held back: replies into an existing thread always thread. The window ends at the
 * mail's own arrival, so a backlog processed late is judged as it arrived.
 */
import type { Executor } from '../../platform/db/database.ts';
import { countCasesOpenedBySender } from './inbound-processing.repo.ts';

export type MailRateLimit = { count: number; windowSeconds: number } | null;

export async function isSenderOverRateLimit(
  executor: Executor,
  limit: MailRateLimit,
  mail: { id: string; fromAddress: string; receivedAt: Date },
): Promise<boolean> {
  if (limit === null) return false;
  const window = { from: new Date(mail.receivedAt.getTime() - limit.windowSeconds * 1000), to: mail.receivedAt };
  return (await countCasesOpenedBySender(executor, mail.fromAddress, window, mail.id)) >= limit.count;
}
