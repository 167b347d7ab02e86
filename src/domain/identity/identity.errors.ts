import { errorFactory } from '../../platform/errors.ts';

export const IDENTITY_ERRORS = {
  USER_NOT_FOUND: 'No such user.',
  USER_EMAIL_TAKEN: 'A user with this e-mail address already exists.',
  USER_ROLES_INVALID: 'These roles do not fit this kind of user.',
  TEAM_NOT_FOUND: 'No such team.',
  TEAM_NAME_TAKEN: 'A team with this name already exists.',
  AUTH_REQUIRED: 'Sign in or send an API token.',
  AUTH_INVALID_CREDENTIALS: 'E-mail or password is wrong.',
  AUTH_TOKEN_INVALID: 'This API token is unknown or revoked.',
  AUTH_RATE_LIMITED: 'Too many failed sign-ins. Wait a few minutes and try again.',
  CSRF_TOKEN_INVALID: 'This request needs the X-CSRF-Token header of your session.',
  FORBIDDEN: 'You are not allowed to do this.',
  MAGIC_LINK_INVALID: 'This sign-in link is not valid. Ask for a new one.',
  MAGIC_LINK_EXPIRED: 'This sign-in link has expired. Ask for a new one.',
  MAGIC_LINK_USED: 'This sign-in link has already been used. Ask for a new one.',
  PASSWORD_CURRENT_INVALID: 'To change your password, give your current password (currentPassword).',
} as const;

export type IdentityErrorCode = keyof typeof IDENTITY_ERRORS;

export const identityError = errorFactory(IDENTITY_ERRORS);
