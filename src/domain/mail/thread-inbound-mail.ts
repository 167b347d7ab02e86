/**
 * Which case an inbound mail continues, in this order (first match wins):
 * 1. our reply token — in a recipient address (`support+<token>@…`) or inside one of our
 *    Message-IDs quoted by In-Reply-To / References;
 * 2. In-Reply-To, then References (newest first), against every Message-ID we stored or sent;
 * 3. the case number in the subject (`[#1042]`);
 * 4. Outlook's Thread-Index root (the first 22 bytes) against the roots of mails we stored.
 * Whether the sender may write into that case is decided by the caller (process-inbound-mail.ts).
 */
import type { Tx } from '../../platform/db/database.ts';
import { findTicket, findTickets, type TicketWithAccess } from '../tickets/index.ts';
import type { InboundLookup } from './inbound-batch.repo.ts';
import type { ParsedMessage } from './mail.types.ts';

export type ThreadMatch = { ticketId: string; by: 'token' | 'message-id' | 'case-number' | 'thread-index' };

export type ThreadingKeys = { tokens: string[]; messageIds: string[]; caseNumber: number | null; threadIndexRoot: string | null };

/** A case token is 32 hex digits (tickets.mail_token); any 32-digit window of a longer hex run is tried. */
const HEX_RUN = /[0-9a-f]{32,}/gi;
const MAX_TOKENS = 64;

function tokensIn(value: string): string[] {
  const tokens: string[] = [];
  for (const match of value.matchAll(HEX_RUN)) {
    const run = match[0].toLowerCase();
    for (let start = 0; start + 32 <= run.length; start += 1) tokens.push(run.slice(start, start + 32));
  }
  return tokens;
}

/** The `+tag` of a recipient address when it is a case token. */
function addressTokens(address: string): string[] {
  const local = address.slice(0, address.lastIndexOf('@'));
  const tag = /\+([0-9a-f]{32})$/i.exec(local);
  return tag ? [tag[1]!.toLowerCase()] : [];
}

/** Base64 of the first 22 bytes of an Outlook Thread-Index: the same for every mail of a conversation. */
export function threadIndexRoot(threadIndex: string | null): string | null {
  if (!threadIndex) return null;
  const bytes = Buffer.from(threadIndex.replace(/\s+/g, ''), 'base64');
  return bytes.length >= 22 ? bytes.subarray(0, 22).toString('base64') : null;
}

export function caseNumberInSubject(subject: string): number | null {
  const match = /\[#(\d{1,9})\]/.exec(subject);
  return match ? Number(match[1]) : null;
}

export function threadingKeys(message: ParsedMessage, envelopeTo: readonly string[]): ThreadingKeys {
  const referenced = [...(message.inReplyTo ? [message.inReplyTo] : []), ...[...message.references].reverse()];
  const messageIds = [...new Set(referenced)].slice(0, 100);
  const recipients = [...message.to, ...message.cc].map((address) => address.address).concat(envelopeTo);
  const tokens = [...new Set([...recipients.flatMap(addressTokens), ...messageIds.flatMap(tokensIn)])].slice(0, MAX_TOKENS);
  return { tokens, messageIds, caseNumber: caseNumberInSubject(message.subject), threadIndexRoot: threadIndexRoot(message.threadIndex) };
}

/** The first match in the order above, from the candidates read in one statement (inbound-batch.repo.ts). */
export function pickThread(keys: ThreadingKeys, found: Pick<InboundLookup, 'byToken' | 'byMessageId' | 'byNumber' | 'byThreadIndex'>): ThreadMatch | null {
  if (found.byToken) return { ticketId: found.byToken, by: 'token' };
  // In-Reply-To comes first in the keys, then References from the newest.
  const byMessageId = keys.messageIds.map((id) => found.byMessageId.get(id)).find((id) => id !== undefined);
  if (byMessageId) return { ticketId: byMessageId, by: 'message-id' };
  if (found.byNumber) return { ticketId: found.byNumber, by: 'case-number' };
  if (found.byThreadIndex) return { ticketId: found.byThreadIndex, by: 'thread-index' };
  return null;
}

/** The matched case, locked; a merged case leads to the one it lives on in (a merge moves the conversation). */
export async function lockThreadCase(tx: Tx, ticketId: string): Promise<TicketWithAccess | undefined> {
  let ticket = await findTicket(tx, ticketId, { forUpdate: true });
  for (let depth = 0; ticket?.mergedIntoId && depth < 5; depth += 1) ticket = await findTicket(tx, ticket.mergedIntoId, { forUpdate: true });
  return ticket;
}

/**
 * The matched cases of several mails locked in one statement (in id order), as they are now. A
 * merged case is returned as it is: the caller follows the merge with lockThreadCase.
 */
export async function lockThreadCases(tx: Tx, ticketIds: readonly string[]): Promise<Map<string, TicketWithAccess>> {
  return findTickets(tx, ticketIds, { forUpdate: true });
}
