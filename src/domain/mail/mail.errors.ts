import { errorFactory } from '../../platform/errors.ts';

export const MAIL_ERRORS = {
  MAILBOX_NOT_FOUND: 'No such mailbox.',
  MAILBOX_ADDRESS_TAKEN: 'A mailbox with this address already exists.',
  MAILBOX_TEAM_INVALID: 'The default team of a mailbox must be an existing team.',
  MAILBOX_IMAP_URL_INVALID: 'The IMAP source must look like imaps://user:password@host:993/INBOX (or imap://…).',
  INBOUND_MAIL_NOT_FOUND: 'No such inbound mail.',
  INBOUND_MAIL_NOT_RELEASABLE: 'Only rate-limited or failed inbound mail can be released.',
  MAIL_ADDRESS_FLAG_NOT_FOUND: 'This address is not flagged.',
} as const;

export type MailErrorCode = keyof typeof MAIL_ERRORS;

export const mailError = errorFactory(MAIL_ERRORS);
