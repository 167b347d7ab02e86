import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db, Executor } from '../../platform/db/database.ts';
import { identityError } from './identity.errors.ts';
import { countRecentLoginFailures, deleteSession, findSessionActor, findUserByEmail, insertSession, recordLoginFailure } from './identity.repo.ts';
import type { Actor, User } from './identity.types.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { hashSecretToken, newSecretToken } from './secret-token.ts';

export const SignInInput = z.object({ email: z.email().max(254), password: z.string().min(1).max(200) }).strict();
export type SignInInput = z.infer<typeof SignInInput>;

export const SESSION_DAYS = 14;
const FAILURE_WINDOW_MINUTES = 15;
const MAX_FAILURES_PER_EMAIL = 10;
const MAX_FAILURES_PER_IP = 50;
// Verifying against a real hash even for unknown e-mails keeps response times alike.
let dummyHash: Promise<string> | undefined;
function hashForUnknownUser(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

export type SignInResult = { sessionToken: string; csrfToken: string; user: User; expiresAt: Date };

export async function signIn(db: Db, input: SignInInput, ip: string): Promise<SignInResult> {
  const failures = await countRecentLoginFailures(db, input.email, ip, FAILURE_WINDOW_MINUTES);
  if (failures.byEmail >= MAX_FAILURES_PER_EMAIL || failures.byIp >= MAX_FAILURES_PER_IP) throw identityError('AUTH_RATE_LIMITED');
  const user = await findUserByEmail(db, input.email);
  const isValid = await verifyPassword(user?.passwordHash ?? (await hashForUnknownUser()), input.password);
  if (!user || !user.passwordHash || !isValid || !user.isActive) {
    await recordLoginFailure(db, input.email, ip);
    throw identityError('AUTH_INVALID_CREDENTIALS');
  }
  const { passwordHash: _hidden, ...publicUser } = user;
  return openSession(db, publicUser);
}

/** A new browser session for a user whose identity is proven (password, magic link). */
export async function openSession(executor: Executor, user: User): Promise<SignInResult> {
  const sessionToken = newSecretToken('cbs_');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await insertSession(executor, hashSecretToken(sessionToken), user.id, csrfToken, expiresAt);
  return { sessionToken, csrfToken, user, expiresAt };
}

export async function signOut(db: Db, sessionToken: string): Promise<void> {
  await deleteSession(db, hashSecretToken(sessionToken));
}

export async function resolveSession(db: Db, sessionToken: string): Promise<{ actor: Actor; csrfToken: string } | undefined> {
  return findSessionActor(db, hashSecretToken(sessionToken));
}
