import { errorFactory } from '../../platform/errors.ts';

export const PANIC_ERRORS = {
  PANIC_CUSTOMERS_ONLY: 'The panic button is pressed by a customer contact; agents raise a case to P1 directly.',
  PANIC_NOT_ENTITLED: "Your organisation's support plan does not include the panic button.",
  PANIC_QUOTA_EXHAUSTED: 'Your organisation has used every panic press of this contract year.',
} as const;

export type PanicErrorCode = keyof typeof PANIC_ERRORS;

export const panicError = errorFactory(PANIC_ERRORS);
