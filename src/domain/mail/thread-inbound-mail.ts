/**
 * Which case an inbound mail continues, in this order (first match wins):
 * 1. our reply token — in a recipient address (`support+<token>@…`) or inside one of our
 *    Message-IDs quoted by In-Reply-To / References;
 * 2. In-Reply-To, then References (newest first), against every Message-ID we stored or sent;
 * 3. the case number in the subject (`[#1042]`);
 * 4. Outlook's Thread-Index root (the first 22 bytes) against the roots of mails we stored.
 * Whether the sender may write into that case is decided by the caller (process-inbound-mail.ts).
 */
import type { Executor } from '../../platform/db/database.ts';
import type { ParsedMessage } from './mail.types.ts';
import { findTicketIdByMessageIds, findTicketIdByNumber, findTicketIdByThreadIndexRoot, findTicketIdByToken } from './inbound-processing.repo.ts';

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

export async function findThread(executor: Executor, keys: ThreadingKeys): Promise<ThreadMatch | null> {
  const byToken = await findTicketIdByToken(executor, keys.tokens);
  if (byToken) return { ticketId: byToken, by: 'token' };
  const byMessageId = await findTicketIdByMessageIds(executor, keys.messageIds);
  if (byMessageId) return { ticketId: byMessageId, by: 'message-id' };
  const byNumber = keys.caseNumber === null ? undefined : await findTicketIdByNumber(executor, keys.caseNumber);
  if (byNumber) return { ticketId: byNumber, by: 'case-number' };
  const byThreadIndex = keys.threadIndexRoot === null ? undefined : await findTicketIdByThreadIndexRoot(executor, keys.threadIndexRoot);
  if (byThreadIndex) return { ticketId: byThreadIndex, by: 'thread-index' };
  return null;
}
