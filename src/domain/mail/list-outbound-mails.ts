import type { Db } from '../../platform/db/database.ts';
import { isAdmin, type Actor } from '../identity/index.ts';
import { outboundMailError } from './outbound-mail.errors.ts';
import { findOutboundMailRow, listOutboundMailRows, requeueOutboundMail, type OutboundMailRow } from './outbound-mail.repo.ts';
import type { ListOutboundMailQuery, OutboundMail } from './outbound-mail.types.ts';

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

function toOutboundMail(row: OutboundMailRow): OutboundMail {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    ticketId: row.ticket_id,
    from: row.from_address,
    to: row.to_addresses,
    cc: row.cc_addresses,
    subject: row.subject,
    messageId: row.message_id,
    locale: row.locale,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: iso(row.next_attempt_at)!,
    sentAt: iso(row.sent_at),
    deadAt: iso(row.dead_at),
    createdAt: iso(row.created_at)!,
  };
}

/** Outbound mail for admins, newest first, optionally one state (dead letters, held, …). */
export async function listOutboundMails(db: Db, actor: Actor, query: ListOutboundMailQuery): Promise<OutboundMail[]> {
  if (!isAdmin(actor)) throw outboundMailError('OUTBOUND_MAIL_FORBIDDEN');
  const rows = await listOutboundMailRows(db, { state: query.state ?? null, limit: query.limit ?? 100 });
  return rows.map(toOutboundMail);
}

/** A dead or held mail goes back to the queue (attempts reset, same Message-ID): the admin fixed the cause. */
export async function retryOutboundMail(db: Db, actor: Actor, id: string): Promise<OutboundMail> {
  if (!isAdmin(actor)) throw outboundMailError('OUTBOUND_MAIL_FORBIDDEN');
  return db.transaction().execute(async (tx) => {
    const requeued = await requeueOutboundMail(tx, id);
    if (requeued) return toOutboundMail(requeued);
    const existing = await findOutboundMailRow(tx, id);
    throw existing ? outboundMailError('OUTBOUND_MAIL_NOT_RETRYABLE', { state: existing.state }) : outboundMailError('OUTBOUND_MAIL_NOT_FOUND');
  });
}
