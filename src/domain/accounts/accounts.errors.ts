import { errorFactory } from '../../platform/errors.ts';

export const ACCOUNTS_ERRORS = {
  ORGANIZATION_NOT_FOUND: 'No such organisation.',
  ORGANIZATION_NAME_TAKEN: 'An organisation with this name already exists.',
  ORGANIZATION_DOMAIN_TAKEN: 'Another organisation already claims this e-mail domain.',
  ACCOUNT_TEAM_MEMBER_INVALID: 'Account-team members and the TAM must be active agents.',
  ENVIRONMENT_NOT_FOUND: 'This organisation has no environment profile (or not this version).',
  ORGANIZATION_FORBIDDEN: 'You are not allowed to change this organisation.',
} as const;

export type AccountsErrorCode = keyof typeof ACCOUNTS_ERRORS;

export const accountsError = errorFactory(ACCOUNTS_ERRORS);
