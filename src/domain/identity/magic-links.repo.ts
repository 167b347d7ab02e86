import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';

export async function recordMagicLinkRequest(executor: Executor, email: string, ip: string): Promise<void> {
  await sql`insert into magic_link_requests (email, ip) values (${email.toLowerCase()}, ${ip})`.execute(executor);
}

export async function countRecentMagicLinkRequests(executor: Executor, email: string, ip: string, windowMinutes: number): Promise<{ byEmail: number; byIp: number }> {
  const result = await sql<{ by_email: string | number; by_ip: string | number }>`
    select
      (select count(*) from magic_link_requests where lower(email) = ${email.toLowerCase()} and created_at > now() - make_interval(mins => ${windowMinutes})) as by_email,
      (select count(*) from magic_link_requests where ip = ${ip} and created_at > now() - make_interval(mins => ${windowMinutes})) as by_ip`.execute(executor);
  const row = result.rows[0]!;
  return { byEmail: Number(row.by_email), byIp: Number(row.by_ip) };
}

export async function insertMagicLink(executor: Executor, record: { tokenHash: string; userId: string; expiresAt: Date }): Promise<void> {
  await sql`insert into magic_links (token_hash, user_id, expires_at) values (${record.tokenHash}, ${record.userId}, ${record.expiresAt})`.execute(executor);
}

export type MagicLinkRow = { userId: string; expiresAt: Date; usedAt: Date | null };

/** Locks the link's row so two tabs consuming the same link cannot both sign in. */
export async function findMagicLinkForUpdate(executor: Executor, tokenHash: string): Promise<MagicLinkRow | undefined> {
  const result = await sql<{ user_id: string; expires_at: Date | string; used_at: Date | string | null }>`
    select user_id, expires_at, used_at from magic_links where token_hash = ${tokenHash} for update`.execute(executor);
  const row = result.rows[0];
  return row && { userId: row.user_id, expiresAt: new Date(row.expires_at), usedAt: row.used_at === null ? null : new Date(row.used_at) };
}

export async function markMagicLinkUsed(executor: Executor, tokenHash: string): Promise<void> {
  await sql`update magic_links set used_at = now() where token_hash = ${tokenHash}`.execute(executor);
}
