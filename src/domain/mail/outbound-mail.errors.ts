import { errorFactory } from '../../platform/errors.ts';

export const OUTBOUND_MAIL_ERRORS = {
  OUTBOUND_MAIL_NOT_FOUND: 'No such outbound mail.',
  OUTBOUND_MAIL_NOT_RETRYABLE: 'Only dead or held mail can be queued again.',
  OUTBOUND_MAIL_FORBIDDEN: 'Only administrators see and retry outbound mail.',
} as const;

export const outboundMailError = errorFactory(OUTBOUND_MAIL_ERRORS);
