import { isAdmin, type Actor } from '../identity/index.ts';

export type MailAction = 'mailbox.read' | 'mailbox.manage';

/** Mailboxes (addresses, teams, IMAP credentials) are workspace configuration: admins only. */
export function canMail(actor: Actor, action: MailAction): boolean {
  switch (action) {
    case 'mailbox.read':
    case 'mailbox.manage':
      return isAdmin(actor);
  }
}
