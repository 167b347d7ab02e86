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

/**
 * Who an API token stands for. An integration sends many requests with one token, so the answer is
 * kept for TOKEN_CACHE_MS: a user change made on this node (roles, deactivation) clears it at once
 * (forgetTokenActors), one made on another app node is seen here within that time. Unknown tokens
 * are not cached.
 */
export async function resolveApiToken(db: Db, token: string): Promise<Actor | undefined> {
  const hash = hashSecretToken(token);
  const now = Date.now();
  const cached = tokenActors.get(hash);
  if (cached && cached.until > now && cached.generation === generation) return cached.actor;
  const started = generation;
  const actor = await findTokenActor(db, hash);
  if (actor && started === generation) {
    if (tokenActors.size >= 10_000) tokenActors.clear();
    tokenActors.set(hash, { actor, until: now + TOKEN_CACHE_MS, generation });
  }
  return actor;
}

const TOKEN_CACHE_MS = 1000;
const tokenActors = new Map<string, { actor: Actor; until: number; generation: number }>();
let generation = 0;

/** Drops every cached token answer (after a committed change to users). */
export function forgetTokenActors(): void {
  generation++;
  tokenActors.clear();
}
