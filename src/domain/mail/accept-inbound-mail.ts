import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { insertInboundMailsWithEvents } from './inbound-mail.repo.ts';

export const AcceptInboundMailInput = z.object({
  raw: z.instanceof(Buffer).refine((raw) => raw.length > 0, 'empty message'),
  source: z.enum(['smtp', 'imap', 'api', 'cli']),
  mailboxId: z.uuid().nullable().optional(),
  envelopeFrom: z.string().max(998).nullable().optional(),
  envelopeTo: z.array(z.string().max(998)).max(1000).optional(),
});
export type AcceptInboundMailInput = z.infer<typeof AcceptInboundMailInput>;

/**
 * The durable first step of every inbound mail: the raw bytes are committed (with a `mail.received`
 * outbox event) before the caller acknowledges the mail (SMTP 250, IMAP flag). Processing runs later
 * from this stored copy. The same mail accepted twice (an SMTP retry after a lost 250, an IMAP
 * re-read) is recognised by its dedupe key and not processed again.
 */
export async function acceptInboundMail(db: Db, input: AcceptInboundMailInput): Promise<{ id: string; duplicate: boolean }> {
  const [stored] = await acceptInboundMails(db, [input]);
  return stored!;
}

/**
 * Several mails in one commit (the SMTP listener's group commit): one statement stores them all
 * with their events, so each caller may answer `250` once it returns. Results are in input order; the
 * same mail twice in one call is stored once (the second is a duplicate of the first).
 */
export async function acceptInboundMails(db: Db, inputs: readonly AcceptInboundMailInput[]): Promise<{ id: string; duplicate: boolean }[]> {
  const mails = inputs.map((input) => {
    const mail = AcceptInboundMailInput.parse(input);
    const { messageId, body } = splitForDedupe(mail.raw);
    return {
      mailbox_id: mail.mailboxId ?? null,
      source: mail.source,
      envelope_from: mail.envelopeFrom ?? null,
      envelope_to: mail.envelopeTo ?? [],
      message_id: messageId,
      dedupe_key: dedupeKey(messageId, body, mail.raw),
      raw: mail.raw,
      size: mail.raw.length,
    };
  });
  const firstOfKey = new Map<string, number>();
  mails.forEach((mail, index) => firstOfKey.set(mail.dedupe_key, firstOfKey.get(mail.dedupe_key) ?? index));
  const stored = await insertInboundMailsWithEvents(
    db,
    mails.filter((mail, index) => firstOfKey.get(mail.dedupe_key) === index),
  );
  return mails.map((mail, index) => {
    const row = stored.get(mail.dedupe_key);
    if (!row) throw new Error(`inbound mail ${mail.dedupe_key} was neither stored nor found`);
    return firstOfKey.get(mail.dedupe_key) === index ? row : { id: row.id, duplicate: true };
  });
}

/** sha256(Message-ID + sha256(body)) when there is a Message-ID (trace headers differ between deliveries), else sha256(raw). */
export function dedupeKey(messageId: string | null, body: Buffer, raw: Buffer): string {
  if (!messageId) return createHash('sha256').update(raw).digest('hex');
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHash('sha256').update(`${messageId}\n${bodyHash}`).digest('hex');
}

/** The Message-ID (without angle brackets) and the body bytes after the header block, read without a full parse. */
export function splitForDedupe(raw: Buffer): { messageId: string | null; body: Buffer } {
  const text = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const headerText = end === -1 ? text : text.slice(0, end);
  const bodyStart = end === -1 ? raw.length : end + (text.slice(end).match(/^\r?\n\r?\n/)?.[0].length ?? 0);
  const unfolded = headerText.replace(/\r?\n[ \t]+/g, ' ');
  const match = /^message-id:\s*<?([^>\s]+)>?/im.exec(unfolded);
  return { messageId: match?.[1]?.slice(0, 998) ?? null, body: raw.subarray(bodyStart) };
}
