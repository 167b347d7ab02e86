/**
 * Per-sender rate limit on new cases by mail (CASEBOOK_MAIL_RATE_LIMIT, e.g. 20/10m): a storm of
 * mail from one address does not become a storm of cases. Only new cases count and only new
 * cases are held back: replies into an existing thread always thread. The window ends at the
 * mail's own arrival, so a backlog processed late is judged as it arrived; the lookup reads that end
 * from the stored arrival time itself (a Date keeps only milliseconds, and two mails may arrive
 * within one). The count itself is read with the mail's other lookups (inbound-batch.repo.ts); mails
 * of one sender are processed one after the other, so each sees the cases its predecessors opened.
 */
export type MailRateLimit = { count: number; windowSeconds: number } | null;

/** The window a mail received at `receivedAt` is judged in (null: no limit configured). */
export function rateLimitWindow(limit: MailRateLimit, receivedAt: Date): { from: Date } | null {
  if (limit === null) return null;
  return { from: new Date(receivedAt.getTime() - limit.windowSeconds * 1000) };
}

/** Whether `casesInWindow` cases already opened by the sender hold this one back. */
export function isSenderOverRateLimit(limit: MailRateLimit, casesInWindow: number | null): boolean {
  return limit !== null && casesInWindow !== null && casesInWindow >= limit.count;
}
