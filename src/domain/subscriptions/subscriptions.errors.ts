import { errorFactory } from '../../platform/errors.ts';

export const SUBSCRIPTIONS_ERRORS = {
  SUBSCRIPTION_NOT_FOUND: 'You are not subscribed to this organisation.',
  SUBSCRIPTION_IMPLICIT: 'You are a named TAM of this organisation and follow it as long as you hold that role.',
} as const;

export type SubscriptionsErrorCode = keyof typeof SUBSCRIPTIONS_ERRORS;

export const subscriptionsError = errorFactory(SUBSCRIPTIONS_ERRORS);
