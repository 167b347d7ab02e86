import { createHash, randomBytes } from 'node:crypto';

/** A 256-bit random secret, URL-safe; only its SHA-256 is ever stored. */
export function newSecretToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
