import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { actorIdOrNull } from './create-user.ts';
import { identityError } from './identity.errors.ts';
import { canIdentity } from './identity.policy.ts';
import { findTokenActor, findUserByEmail, insertApiToken } from './identity.repo.ts';
import type { Actor } from './identity.types.ts';
import { hashSecretToken, newSecretToken } from './secret-token.ts';

/** Creates an API token for any user (agent or contact). The token is returned once, never stored. */
export async function createApiToken(db: Db, actor: Actor, email: string, name = 'cli'): Promise<{ token: string; tokenId: string; userId: string }> {
  if (!canIdentity(actor, 'token.create')) throw identityError('FORBIDDEN');
  const user = await findUserByEmail(db, email);
  if (!user) throw identityError('USER_NOT_FOUND', { email });
  const token = newSecretToken('cbt_');
  const tokenId = await db.transaction().execute(async (tx) => {
    const id = await insertApiToken(tx, user.id, name, hashSecretToken(token));
    await recordAudit(tx, { subjectType: 'user', subjectId: user.id, actorId: actorIdOrNull(actor), action: 'token.created', changes: { tokenId: id, name } });
    return id;
  });
  return { token, tokenId, userId: user.id };
}

export async function resolveApiToken(db: Db, token: string): Promise<Actor | undefined> {
  return findTokenActor(db, hashSecretToken(token));
}
