import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.ts';
import { isDomainError } from '../../platform/errors.ts';
import { createUser } from './create-user.ts';
import { countAdmins } from './identity.repo.ts';
import { SYSTEM_ACTOR } from './identity.types.ts';

export type FirstAdmin = { email: string; generatedPassword: string | null };

/** On a database with no admin, creates one from the given e-mail/password, or generates a password. */
export async function ensureFirstAdmin(db: Db, email: string | undefined, password: string | undefined): Promise<FirstAdmin | null> {
  if ((await countAdmins(db)) > 0) return null;
  const adminEmail = email ?? 'admin@casebook.local';
  const generatedPassword = password ? null : randomBytes(12).toString('base64url');
  try {
    await createUser(db, SYSTEM_ACTOR, {
      email: adminEmail,
      name: 'Administrator',
      roles: ['admin', 'agent'],
      senior: true,
      supportLine: 'L3',
      password: password ?? generatedPassword!,
    });
  } catch (error) {
    // Two app nodes starting together on one PostgreSQL: the other node created the admin first.
    if (isDomainError(error) && error.code === 'USER_EMAIL_TAKEN' && (await countAdmins(db)) > 0) return null;
    throw error;
  }
  return { email: adminEmail, generatedPassword };
}
