import { DomainError } from '../../platform/errors.ts';

export const SUBSCRIPTIONS_ERRORS = {
  SUBSCRIPTION_NOT_FOUND: 'You are not subscribed to this organisation.',
  SUBSCRIPTION_IMPLICIT: 'You are a named TAM of this organisation and follow it as long as you hold that role.',
} as const;

export type SubscriptionsErrorCode = keyof typeof SUBSCRIPTIONS_ERRORS;

export function subscriptionsError(code: SubscriptionsErrorCode, details?: Record<string, unknown>): DomainError {
  return new DomainError(code, SUBSCRIPTIONS_ERRORS[code], details);
}
