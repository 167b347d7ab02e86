import { z } from 'zod';
import type { Db, Tx } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { actorIdOrNull, identityError, teamExists, type Actor } from '../identity/index.ts';
import { parseImapUrl, maskImapUrl } from './imap-url.ts';
import { mailError } from './mail.errors.ts';
import { forgetMailboxes } from './mailbox-directory.ts';
import { canMail } from './mail.policy.ts';
import { findMailboxIdByAddress, insertMailbox } from './mailboxes.repo.ts';
import { MailboxAddress, type Mailbox, type MailboxRecord } from './mailbox.types.ts';

export const CreateMailboxInput = z
  .object({
    address: MailboxAddress.describe('The address customers write to, e.g. support@example.com'),
    name: z.string().trim().max(200).optional().describe('Display name used on outgoing mail'),
    teamId: z.uuid().describe('Team that new cases from this mailbox go to'),
    imapUrl: z.string().trim().max(2000).nullable().optional().describe('imaps://user:password@host:993/INBOX to poll an existing mailbox'),
    isActive: z.boolean().optional(),
  })
  .strict();
export type CreateMailboxInput = z.infer<typeof CreateMailboxInput>;

/** The API's view of a mailbox: the IMAP password never leaves the server. */
export function presentMailbox(record: MailboxRecord): Mailbox {
  return { ...record, imapUrl: maskImapUrl(record.imapUrl) };
}

/** Checks shared by create and update: a free address, an existing team, a usable IMAP URL. */
export async function checkMailboxFields(tx: Tx, fields: { address?: string; teamId?: string | null; imapUrl?: string | null }, exceptId?: string): Promise<void> {
  if (fields.address !== undefined) {
    const holder = await findMailboxIdByAddress(tx, fields.address);
    if (holder && holder !== exceptId) throw mailError('MAILBOX_ADDRESS_TAKEN', { address: fields.address });
  }
  if (fields.teamId && !(await teamExists(tx, fields.teamId))) throw mailError('MAILBOX_TEAM_INVALID', { teamId: fields.teamId });
  if (fields.imapUrl && !parseImapUrl(fields.imapUrl)) throw mailError('MAILBOX_IMAP_URL_INVALID');
}

export async function createMailbox(db: Db, actor: Actor, input: CreateMailboxInput): Promise<Mailbox> {
  if (!canMail(actor, 'mailbox.manage')) throw identityError('FORBIDDEN');
  const fields = CreateMailboxInput.parse(input);
  const saved = await db.transaction().execute(async (tx) => {
    await checkMailboxFields(tx, fields);
    const mailbox = await insertMailbox(tx, { ...fields, imapUrl: fields.imapUrl || null });
    await recordAudit(tx, {
      subjectType: 'mailbox',
      subjectId: mailbox.id,
      actorId: actorIdOrNull(actor),
      action: 'mailbox.created',
      changes: { address: mailbox.address, teamId: mailbox.teamId, imapUrl: maskImapUrl(mailbox.imapUrl), isActive: mailbox.isActive },
    });
    return presentMailbox(mailbox);
  });
  forgetMailboxes(); // after the commit: the next mail reads the mailboxes again
  return saved;
}
