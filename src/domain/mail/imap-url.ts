/**
 * The IMAP source of a mailbox is one URL: `imaps://user:password@host:993/INBOX` (TLS from the
 * start) or `imap://…:143/…` (STARTTLS when offered). The password is a secret: the API and the
 * CLI only ever show the URL masked.
 */

export type ImapSource = { secure: boolean; host: string; port: number; user: string; password: string; folder: string };

export const MASKED_PASSWORD = '***';

/** The parts of an IMAP URL, or null when it is not one Casebook can poll. */
export function parseImapUrl(value: string): ImapSource | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'imap:' && url.protocol !== 'imaps:') return null;
  if (!url.hostname || !url.username || !url.password || url.search || url.hash) return null;
  const secure = url.protocol === 'imaps:';
  const folder = decodeURIComponent(url.pathname.replace(/^\/+/, '').replace(/\/+$/, '')) || 'INBOX';
  return {
    secure,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    folder,
  };
}

/** The URL with its password replaced by `***` (null stays null). */
export function maskImapUrl(value: string | null): string | null {
  if (value === null) return null;
  try {
    const url = new URL(value);
    if (url.password) url.password = MASKED_PASSWORD;
    return url.toString();
  } catch {
    return value.replace(/\/\/([^:/@]*):[^@]*@/, `//$1:${MASKED_PASSWORD}@`);
  }
}

/**
 * A client that read a mailbox and sends its (masked) IMAP URL back unchanged keeps the stored
 * password: `***` in the new URL is replaced by the current password when user and host are the same.
 */
export function unmaskImapUrl(next: string, current: string | null): string {
  if (!current) return next;
  const incoming = parseImapUrl(next);
  const stored = parseImapUrl(current);
  if (!incoming || !stored || incoming.password !== MASKED_PASSWORD) return next;
  if (incoming.user !== stored.user || incoming.host !== stored.host) return next;
  const url = new URL(next.trim());
  url.password = encodeURIComponent(stored.password);
  return url.toString();
}
