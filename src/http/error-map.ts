import { ACCOUNTS_ERRORS } from '../domain/accounts/index.ts';
import { IDENTITY_ERRORS } from '../domain/identity/index.ts';
import { MAIL_ERRORS, OUTBOUND_MAIL_ERRORS } from '../domain/mail/index.ts';
import { PANIC_ERRORS } from '../domain/panic/index.ts';
import { PLANS_ERRORS } from '../domain/plans/index.ts';
import { ROUTING_ERRORS } from '../domain/routing/index.ts';
import { SLA_ERRORS } from '../domain/sla/index.ts';
import { SUBSCRIPTIONS_ERRORS } from '../domain/subscriptions/index.ts';
import { TICKETS_ERRORS } from '../domain/tickets/index.ts';

/** Codes raised by the HTTP layer itself (not by a context). */
export const HTTP_ERRORS = {
  VALIDATION_FAILED: 'The request does not match the expected shape.',
  INVALID_JSON: 'The request body is not valid JSON.',
  PAYLOAD_TOO_LARGE: 'The request body is too large.',
  UNSUPPORTED_MEDIA_TYPE: 'This content type is not accepted here.',
  ROUTE_NOT_FOUND: 'No such endpoint.',
  ROUTE_POLICY_MISSING: 'This endpoint has no access policy and is closed.',
  IDEMPOTENCY_KEY_REUSED: 'This Idempotency-Key was already used for a different request.',
  IDEMPOTENCY_KEY_IN_PROGRESS: 'A request with this Idempotency-Key is still being processed.',
  REFERENCE_NOT_FOUND: 'The request refers to something that does not exist.',
  CONFLICT: 'This conflicts with existing data.',
  SERVICE_UNAVAILABLE: 'The service is not ready.',
  INTERNAL_ERROR: 'Something went wrong on our side. The error was logged.',
} as const;

export type ErrorCode = keyof typeof HTTP_ERRORS | keyof typeof IDENTITY_ERRORS | keyof typeof ACCOUNTS_ERRORS | keyof typeof TICKETS_ERRORS | keyof typeof PLANS_ERRORS | keyof typeof PANIC_ERRORS | keyof typeof SUBSCRIPTIONS_ERRORS | keyof typeof ROUTING_ERRORS | keyof typeof SLA_ERRORS | keyof typeof MAIL_ERRORS | keyof typeof OUTBOUND_MAIL_ERRORS;

/** The one table from stable error code to HTTP status. A code missing here fails a test. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  CURSOR_INVALID: 400,
  MAGIC_LINK_INVALID: 400,
  AUTH_REQUIRED: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  PASSWORD_CURRENT_INVALID: 403,
  AUTH_TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  CSRF_TOKEN_INVALID: 403,
  ROUTE_POLICY_MISSING: 403,
  TICKET_FORBIDDEN: 403,
  ORGANIZATION_FORBIDDEN: 403,
  MESSAGE_INTERNAL_FORBIDDEN: 403,
  PANIC_CUSTOMERS_ONLY: 403,
  PANIC_NOT_ENTITLED: 403,
  RATING_CUSTOMERS_ONLY: 403,
  ROUTE_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  TEAM_NOT_FOUND: 404,
  ORGANIZATION_NOT_FOUND: 404,
  ENVIRONMENT_NOT_FOUND: 404,
  TICKET_NOT_FOUND: 404,
  VIEW_NOT_FOUND: 404,
  MESSAGE_NOT_FOUND: 404,
  PLAN_NOT_FOUND: 404,
  CALENDAR_NOT_FOUND: 404,
  ATTACHMENT_NOT_FOUND: 404,
  PRIORITY_RULE_NOT_FOUND: 404,
  SUBSCRIPTION_NOT_FOUND: 404,
  MAILBOX_NOT_FOUND: 404,
  USER_EMAIL_TAKEN: 409,
  TEAM_NAME_TAKEN: 409,
  PLAN_CODE_TAKEN: 409,
  CALENDAR_NAME_TAKEN: 409,
  ORGANIZATION_NAME_TAKEN: 409,
  ORGANIZATION_DOMAIN_TAKEN: 409,
  TICKET_TRANSITION_INVALID: 409,
  TICKET_CLOSED: 409,
  TICKET_MERGE_INVALID: 409,
  VIEW_NAME_TAKEN: 409,
  ESCALATION_INVALID: 409,
  IDEMPOTENCY_KEY_IN_PROGRESS: 409,
  PANIC_QUOTA_EXHAUSTED: 409,
  SUBSCRIPTION_IMPLICIT: 409,
  MAILBOX_ADDRESS_TAKEN: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  ATTACHMENT_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  USER_ROLES_INVALID: 422,
  CALENDAR_INVALID: 422,
  ACCOUNT_TEAM_MEMBER_INVALID: 422,
  TICKET_REQUESTER_INVALID: 422,
  TICKET_ASSIGNEE_INVALID: 422,
  TICKET_TEAM_INVALID: 422,
  TICKET_LINK_INVALID: 422,
  RATING_MESSAGE_INVALID: 422,
  VIEW_LIMIT_REACHED: 422,
  CALENDAR_ICS_INVALID: 422,
  CONTRACT_INVALID: 422,
  SLA_CHANGES_INVALID: 422,
  ATTACHMENT_INVALID: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  REFERENCE_NOT_FOUND: 422,
  MAILBOX_TEAM_INVALID: 422,
  MAILBOX_IMAP_URL_INVALID: 422,
  OUTBOUND_MAIL_NOT_FOUND: 404,
  OUTBOUND_MAIL_NOT_RETRYABLE: 409,
  OUTBOUND_MAIL_FORBIDDEN: 403,
  INBOUND_MAIL_NOT_FOUND: 404,
  INBOUND_MAIL_NOT_RELEASABLE: 409,
  MAIL_ADDRESS_FLAG_NOT_FOUND: 404,
  MAGIC_LINK_EXPIRED: 410,
  MAGIC_LINK_USED: 410,
  AUTH_RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

export const ERROR_MESSAGES: Record<ErrorCode, string> = { ...HTTP_ERRORS, ...IDENTITY_ERRORS, ...ACCOUNTS_ERRORS, ...TICKETS_ERRORS, ...PLANS_ERRORS, ...PANIC_ERRORS, ...SUBSCRIPTIONS_ERRORS, ...ROUTING_ERRORS, ...SLA_ERRORS, ...MAIL_ERRORS, ...OUTBOUND_MAIL_ERRORS };

export function statusForCode(code: string): number {
  return (ERROR_STATUS as Record<string, number>)[code] ?? 500;
}
