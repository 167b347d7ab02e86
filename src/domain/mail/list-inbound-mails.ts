import { simpleParser } from 'mailparser';
import type { Db } from '../../platform/db/database.ts';
import { identityError, type Actor } from '../identity/index.ts';
import { listInboundMailRows, type InboundMailAdminRow } from './inbound-admin.repo.ts';
import type { InboundMailState, InboundMailSummary, ListInboundMailQuery } from './inbound-admin.types.ts';
import { canMail } from './mail.policy.ts';

/** What an admin looks at by default: mail that should have become a case and did not. */
export const NEEDS_A_LOOK: InboundMailState[] = ['failed', 'rate-limited'];

/** The header block of the stored mail's first bytes (the list never reads the body). */
function headerBlock(head: Uint8Array): Buffer {
  const bytes = Buffer.from(head);
  const crlf = bytes.indexOf('\r\n\r\n');
  const lf = bytes.indexOf('\n\n');
  const end = [crlf, lf].filter((index) => index >= 0).sort((a, b) => a - b)[0];
  return Buffer.concat([end === undefined ? bytes : bytes.subarray(0, end), Buffer.from('\r\n\r\n')]);
}

/** The decoded Subject (RFC 2047 words, folded lines), null when absent or unreadable. */
async function subjectOf(head: Uint8Array): Promise<string | null> {
  try {
    const parsed = await simpleParser(headerBlock(head), { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true });
    return parsed.subject?.trim() ? parsed.subject.trim().slice(0, 998) : null;
  } catch {
    return null;
  }
}

async function toSummary(row: InboundMailAdminRow): Promise<InboundMailSummary> {
  return {
    id: row.id,
    state: row.state,
    classification: row.classification,
    fromAddress: row.from_address ?? row.envelope_from,
    subject: await subjectOf(row.head),
    messageId: row.message_id,
    receivedAt: new Date(row.received_at).toISOString(),
    lastError: row.last_error,
    outcome: typeof row.outcome === 'string' ? (JSON.parse(row.outcome) as Record<string, unknown>) : row.outcome,
    ticketId: row.ticket_id,
  };
}

/** Stored inbound mail for admins, newest first; by default the failed and rate-limited ones. */
export async function listInboundMails(db: Db, actor: Actor, query: ListInboundMailQuery): Promise<InboundMailSummary[]> {
  if (!canMail(actor, 'mailbox.read')) throw identityError('FORBIDDEN');
  const rows = await listInboundMailRows(db, { states: query.state ?? NEEDS_A_LOOK, limit: query.limit ?? 100 });
  return Promise.all(rows.map(toSummary));
}
