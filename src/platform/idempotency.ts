import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './db/database.ts';

export type IdempotencyClaim =
  | { state: 'new' }
  | { state: 'replay'; statusCode: number; response: unknown }
  | { state: 'in-progress' }
  | { state: 'mismatch' };

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${JSON.stringify(body ?? null)}`).digest('hex');
}

/**
 * Claims an Idempotency-Key for an actor. The first request inserts a pending row; a retry gets the
 * stored response; a concurrent duplicate sees it in progress; the same key on another request is
 * refused. Keys expire after 24 hours.
 */
export async function claimIdempotencyKey(db: Db, actorId: string, key: string, method: string, path: string, fingerprint: string): Promise<IdempotencyClaim> {
  await db.deleteFrom('idempotency_keys').where('actor_id', '=', actorId).where('key', '=', key).where('created_at', '<', sql<Date>`now() - interval '24 hours'`).execute();
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({ actor_id: actorId, key, method, path, request_hash: fingerprint })
    .onConflict((conflict) => conflict.columns(['actor_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return { state: 'new' };
  const existing = await db.selectFrom('idempotency_keys').selectAll().where('actor_id', '=', actorId).where('key', '=', key).executeTakeFirst();
  if (!existing) return { state: 'in-progress' };
  if (existing.request_hash !== fingerprint) return { state: 'mismatch' };
  if (existing.status_code === null) return { state: 'in-progress' };
  return { state: 'replay', statusCode: existing.status_code, response: existing.response };
}

export async function completeIdempotencyKey(db: Db, actorId: string, key: string, statusCode: number, response: unknown): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ status_code: statusCode, response: JSON.stringify(response ?? null) })
    .where('actor_id', '=', actorId)
    .where('key', '=', key)
    .execute();
}

/** A failed attempt (5xx) releases the key so the client's retry runs for real. */
export async function releaseIdempotencyKey(db: Db, actorId: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('actor_id', '=', actorId).where('key', '=', key).where('status_code', 'is', null).execute();
}
