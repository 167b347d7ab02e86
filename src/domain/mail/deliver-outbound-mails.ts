import type { Db } from '../../platform/db/database.ts';
import { claimDueOutboundMails, markOutboundFailed, markOutboundSent, type OutboundMailRow } from './outbound-mail.repo.ts';

/** One mail as the transport sends it: every header fixed at queue time, so a retry is the same message. */
export type OutgoingMail = {
  id: string;
  from: string;
  to: string[];
  cc: string[];
  replyTo: string | null;
  subject: string;
  /** Without angle brackets. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  headers: Record<string, string>;
  text: string;
  html: string;
};

/** A transport failure: `isPermanent` (an SMTP 5xx) sends the mail to the dead letters at once. */
export type SendFailure = { isPermanent: boolean; message: string };

export type MailTransport = { send(mail: OutgoingMail): Promise<void>; describeFailure(error: unknown): SendFailure };

export type DeliveryOptions = { maxAttempts: number; retryBaseMs: number; maxRetryDelayMs?: number; batchSize?: number; leaseMs?: number };

export type DeliveryResult = { claimed: number; sent: number; retried: number; dead: number };

/** Delay before attempt n+1 after n failed attempts: base · 2^(n−1), at most maxRetryDelayMs (default one hour). */
export function retryDelay(failedAttempts: number, baseMs: number, maxMs = 60 * 60 * 1000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
}

function toOutgoing(row: OutboundMailRow): OutgoingMail {
  return {
    id: row.id,
    from: row.from_address,
    to: row.to_addresses,
    cc: row.cc_addresses,
    replyTo: row.reply_to,
    subject: row.subject,
    messageId: row.message_id,
    inReplyTo: row.in_reply_to,
    references: row.references_ids,
    headers: (typeof row.headers === 'string' ? JSON.parse(row.headers) : row.headers) as Record<string, string>,
    text: row.text_body,
    html: row.html_body,
  };
}

/**
 * Sends the mail that is due: claims a batch (SKIP LOCKED + a lease, committed before any SMTP
 * traffic), sends each, then records the outcome. A failure is retried with exponential backoff
 * under the same Message-ID; a permanent refusal or the last attempt makes the mail dead.
 */
export async function deliverDueMails(db: Db, transport: MailTransport, options: DeliveryOptions): Promise<DeliveryResult> {
  const claimed = await db.transaction().execute((tx) => claimDueOutboundMails(tx, { limit: options.batchSize ?? 20, leaseMs: options.leaseMs ?? 5 * 60 * 1000 }));
  const result: DeliveryResult = { claimed: claimed.length, sent: 0, retried: 0, dead: 0 };
  for (const row of claimed) {
    try {
      await transport.send(toOutgoing(row));
      await markOutboundSent(db, row.id);
      result.sent += 1;
    } catch (error) {
      const failure = transport.describeFailure(error);
      const failedAttempts = row.attempts + 1;
      const isDead = failure.isPermanent || failedAttempts >= options.maxAttempts;
      await markOutboundFailed(db, row.id, { isDead, delayMs: retryDelay(failedAttempts, options.retryBaseMs, options.maxRetryDelayMs), error: failure.message });
      if (isDead) result.dead += 1;
      else result.retried += 1;
    }
  }
  return result;
}
