import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { MessageRating, RatingValue } from './rate-message.ts';

type RatingRow = { message_id: string; ticket_id: string; rating: RatingValue; comment: string | null; rated_by: string; created_at: Date | string; updated_at: Date | string };

const iso = (value: Date | string) => new Date(value).toISOString();

function toRating(row: RatingRow): MessageRating {
  return { messageId: row.message_id, ticketId: row.ticket_id, rating: row.rating, comment: row.comment, ratedBy: row.rated_by, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) };
}

/** A message of this case with what a rating needs to know: public or not, and who wrote it. */
export async function findMessageForRating(executor: Executor, ticketId: string, messageId: string): Promise<{ internal: boolean; authorKind: string | null } | undefined> {
  const result = await sql<{ is_internal: boolean; author_kind: string | null }>`
    select m.is_internal, u.kind as author_kind
    from messages m left join users u on u.id = m.author_id
    where m.id = ${messageId} and m.ticket_id = ${ticketId}`.execute(executor);
  const row = result.rows[0];
  return row && { internal: row.is_internal, authorKind: row.author_kind };
}

export async function upsertRating(
  executor: Executor,
  record: { messageId: string; ticketId: string; organizationId: string; ratedBy: string; rating: RatingValue; comment: string | null },
): Promise<MessageRating> {
  const result = await sql<RatingRow>`
    insert into message_ratings (message_id, ticket_id, organization_id, rated_by, rating, comment)
    values (${record.messageId}, ${record.ticketId}, ${record.organizationId}, ${record.ratedBy}, ${record.rating}, ${record.comment})
    on conflict (message_id, rated_by) do update set rating = excluded.rating, comment = excluded.comment, updated_at = now()
    returning message_id, ticket_id, rating, comment, rated_by, created_at, updated_at`.execute(executor);
  return toRating(result.rows[0]!);
}

export async function listRatingRows(executor: Executor, ticketId: string): Promise<MessageRating[]> {
  const result = await sql<RatingRow>`
    select message_id, ticket_id, rating, comment, rated_by, created_at, updated_at
    from message_ratings where ticket_id = ${ticketId} order by created_at, id`.execute(executor);
  return result.rows.map(toRating);
}
