import { errorFactory } from '../../platform/errors.ts';

export const SLA_ERRORS = {
  SLA_CHANGES_INVALID: 'The plan changes to simulate are not valid (targets, calendar, pauseStatuses or warningThresholds).',
} as const;

export type SlaDomainErrorCode = keyof typeof SLA_ERRORS;

export const slaError = errorFactory(SLA_ERRORS);
