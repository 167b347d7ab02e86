import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { identityError } from './identity.errors.ts';
import { findUserById } from './identity.repo.ts';
import { findMagicLinkForUpdate, markMagicLinkUsed } from './magic-links.repo.ts';
import { hashSecretToken } from './secret-token.ts';
import { openSession, type SignInResult } from './sign-in.ts';

export const ConsumeMagicLinkInput = z.object({ token: z.string().min(1).max(200) }).strict();
export type ConsumeMagicLinkInput = z.infer<typeof ConsumeMagicLinkInput>;

/** Trades a mailed link for the same session a password sign-in opens; a link works once, for 15 minutes. */
export async function consumeMagicLink(db: Db, input: ConsumeMagicLinkInput): Promise<SignInResult> {
  const tokenHash = hashSecretToken(input.token);
  return db.transaction().execute(async (tx) => {
    const link = await findMagicLinkForUpdate(tx, tokenHash);
    if (!link) throw identityError('MAGIC_LINK_INVALID');
    if (link.usedAt) throw identityError('MAGIC_LINK_USED');
    if (link.expiresAt.getTime() <= Date.now()) throw identityError('MAGIC_LINK_EXPIRED');
    const user = await findUserById(tx, link.userId);
    if (!user || !user.isActive) throw identityError('MAGIC_LINK_INVALID');
    await markMagicLinkUsed(tx, tokenHash);
    return openSession(tx, user);
  });
}
