import { z } from 'zod';
import type { Db, Executor } from '../../platform/db/database.ts';
import { identityError } from './identity.errors.ts';
import { findUserByEmail } from './identity.repo.ts';
import type { User } from './identity.types.ts';
import { countRecentMagicLinkRequests, insertMagicLink, recordMagicLinkRequest } from './magic-links.repo.ts';
import { hashSecretToken, newSecretToken } from './secret-token.ts';

export const RequestMagicLinkInput = z.object({ email: z.email().max(254) }).strict();
export type RequestMagicLinkInput = z.infer<typeof RequestMagicLinkInput>;

export const MAGIC_LINK_MINUTES = 15;
const REQUEST_WINDOW_MINUTES = 15;
const MAX_REQUESTS_PER_EMAIL = 5;
const MAX_REQUESTS_PER_IP = 50;

/** What the caller does with a fresh link: queue the e-mail in the same transaction (the mail context owns that). */
export type SendMagicLink = (tx: Executor, link: { user: User; token: string; url: string; expiresInMinutes: number }) => Promise<void>;

/**
 * Mails a single-use sign-in link to an active user with this address. Unknown or inactive
 * addresses get exactly the same outcome (nothing to tell an enumerating caller); the throttle counts
 * every request, known address or not, so it reveals nothing either.
 */
export async function requestMagicLink(db: Db, input: RequestMagicLinkInput, ip: string, options: { publicUrl: string; send: SendMagicLink }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const recent = await countRecentMagicLinkRequests(tx, input.email, ip, REQUEST_WINDOW_MINUTES);
    if (recent.byEmail >= MAX_REQUESTS_PER_EMAIL || recent.byIp >= MAX_REQUESTS_PER_IP) throw identityError('AUTH_RATE_LIMITED');
    await recordMagicLinkRequest(tx, input.email, ip);
  });
  const user = await findUserByEmail(db, input.email);
  if (!user || !user.isActive) return;
  const { passwordHash: _hidden, ...publicUser } = user;
  const token = newSecretToken('cbm_');
  const expiresAt = new Date(Date.now() + MAGIC_LINK_MINUTES * 60_000);
  await db.transaction().execute(async (tx) => {
    await insertMagicLink(tx, { tokenHash: hashSecretToken(token), userId: user.id, expiresAt });
    await options.send(tx, { user: publicUser, token, url: `${options.publicUrl}/auth/magic/${encodeURIComponent(token)}`, expiresInMinutes: MAGIC_LINK_MINUTES });
  });
}
