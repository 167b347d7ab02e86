import { z } from 'zod';

/** A lower-case e-mail address as a mailbox is known by. */
export const MailboxAddress = z.string().trim().toLowerCase().pipe(z.email().max(254));

/** A mailbox: an address Casebook receives mail for, the team its new cases go to, and an optional IMAP source. */
export const Mailbox = z.object({
  id: z.uuid(),
  address: z.string(),
  name: z.string(),
  teamId: z.uuid().nullable().describe('Team that new cases from this mailbox go to'),
  imapUrl: z.string().nullable().describe('IMAP source polled for mail, password shown as ***'),
  isActive: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Mailbox = z.infer<typeof Mailbox>;

/** What the SMTP listener and mail processing need: the row with its secret IMAP URL unmasked. */
export type MailboxRecord = Omit<Mailbox, 'imapUrl'> & { imapUrl: string | null };
