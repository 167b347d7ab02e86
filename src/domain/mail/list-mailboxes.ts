import type { Db } from '../../platform/db/database.ts';
import { identityError, type Actor } from '../identity/index.ts';
import { presentMailbox } from './create-mailbox.ts';
import { mailError } from './mail.errors.ts';
import { canMail } from './mail.policy.ts';
import { findMailboxRow, listMailboxRows } from './mailboxes.repo.ts';
import type { Mailbox } from './mailbox.types.ts';

export async function listMailboxes(db: Db, actor: Actor): Promise<Mailbox[]> {
  if (!canMail(actor, 'mailbox.read')) throw identityError('FORBIDDEN');
  return (await listMailboxRows(db)).map(presentMailbox);
}

export async function getMailbox(db: Db, actor: Actor, id: string): Promise<Mailbox> {
  if (!canMail(actor, 'mailbox.read')) throw identityError('FORBIDDEN');
  const mailbox = await findMailboxRow(db, id);
  if (!mailbox) throw mailError('MAILBOX_NOT_FOUND');
  return presentMailbox(mailbox);
}
