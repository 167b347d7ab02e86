import { randomBytes } from 'node:crypto';

/** Kinds that belong to the customer conversation: they thread with the customer's mail. */
export const CONVERSATION_KINDS = new Set(['reply', 'acknowledgement']);

/** References keeps the thread root and the most recent ids: enough for every client, bounded in size. */
export const REFERENCES_TAIL = 10;

/** `<random>.<case token>@<domain>` without angle brackets; the token lets a reply find its case even without our records. */
export function newMessageId(domain: string, mailToken: string | null): string {
  const random = randomBytes(12).toString('base64url').replace(/[-_]/g, '0');
  return mailToken ? `${random}.${mailToken}@${domain}` : `${random}@${domain}`;
}

/** The first id (the thread root) and the last `tail` ids, in order, without duplicates. */
export function boundReferences(chain: string[], tail = REFERENCES_TAIL): string[] {
  const unique = [...new Set(chain)];
  if (unique.length <= tail + 1) return unique;
  return [unique[0]!, ...unique.slice(-tail)];
}

/** `support@example.test` + token → `support+token@example.test` (an existing +tag is replaced). */
export function plusAddress(address: string, token: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return address;
  const local = address.slice(0, at).split('+')[0];
  return `${local}+${token}${address.slice(at)}`;
}

export function domainOf(address: string): string | null {
  const at = address.lastIndexOf('@');
  return at > 0 ? address.slice(at + 1).toLowerCase() : null;
}

/** Extra headers of automatic mail (RFC 3834 + Exchange), so auto-responders do not answer it. */
export function automaticHeaders(isAutomatic: boolean): Record<string, string> {
  return isAutomatic ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {};
}

export function normaliseAddress(address: string): string {
  return address.trim().toLowerCase();
}
