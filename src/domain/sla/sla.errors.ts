import { DomainError } from '../../platform/errors.ts';

export const SLA_ERRORS = {
  SLA_CHANGES_INVALID: 'The plan changes to simulate are not valid (targets, calendar, pauseStatuses or warningThresholds).',
} as const;

export type SlaDomainErrorCode = keyof typeof SLA_ERRORS;

export function slaError(code: SlaDomainErrorCode, details?: Record<string, unknown>): DomainError {
  return new DomainError(code, SLA_ERRORS[code], details);
}
