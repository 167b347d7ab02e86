import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { diffFields, recordAudit } from '../../platform/audit.ts';
import { actorIdOrNull, identityError, type Actor } from '../identity/index.ts';
import { checkMailboxFields, presentMailbox } from './create-mailbox.ts';
import { maskImapUrl, unmaskImapUrl } from './imap-url.ts';
import { mailError } from './mail.errors.ts';
import { forgetMailboxes } from './mailbox-directory.ts';
import { canMail } from './mail.policy.ts';
import { findMailboxRow, updateMailboxRow } from './mailboxes.repo.ts';
import { MailboxAddress, type Mailbox } from './mailbox.types.ts';

export const UpdateMailboxInput = z
  .object({
    address: MailboxAddress.optional(),
    name: z.string().trim().max(200).optional(),
    teamId: z.uuid().optional(),
    imapUrl: z.string().trim().max(2000).nullable().optional().describe('null stops IMAP polling; a URL read back with *** keeps the stored password'),
    isActive: z.boolean().optional().describe('An inactive mailbox refuses SMTP mail and is not polled'),
  })
  .strict();
export type UpdateMailboxInput = z.infer<typeof UpdateMailboxInput>;

export async function updateMailbox(db: Db, actor: Actor, id: string, input: UpdateMailboxInput): Promise<Mailbox> {
  if (!canMail(actor, 'mailbox.manage')) throw identityError('FORBIDDEN');
  const fields = UpdateMailboxInput.parse(input);
  const saved = await db.transaction().execute(async (tx) => {
    const current = await findMailboxRow(tx, id, { forUpdate: true });
    if (!current) throw mailError('MAILBOX_NOT_FOUND');
    const imapUrl = fields.imapUrl === undefined ? undefined : fields.imapUrl ? unmaskImapUrl(fields.imapUrl, current.imapUrl) : null;
    await checkMailboxFields(tx, { ...fields, imapUrl }, id);
    const updated = (await updateMailboxRow(tx, id, { ...fields, imapUrl }))!;
    const changes = diffFields(
      { ...current, imapUrl: maskImapUrl(current.imapUrl) },
      { address: fields.address, name: fields.name, teamId: fields.teamId, isActive: fields.isActive, imapUrl: imapUrl === undefined ? undefined : maskImapUrl(imapUrl) },
    );
    if (imapUrl !== undefined && imapUrl !== current.imapUrl && !changes.imapUrl) changes.imapUrl = { before: '***', after: '***' };
    await recordAudit(tx, { subjectType: 'mailbox', subjectId: id, actorId: actorIdOrNull(actor), action: 'mailbox.updated', changes });
    return presentMailbox(updated);
  });
  forgetMailboxes(); // after the commit: the next mail reads the mailboxes again
  return saved;
}
