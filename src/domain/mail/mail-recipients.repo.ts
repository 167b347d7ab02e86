import type { Executor } from '../../platform/db/database.ts';

export type MailRecipient = { email: string; name: string; locale: string; userId: string | null };

export type ReplySource = { id: string; ticketId: string; body: string; isInternal: boolean; authorId: string | null; authorKind: 'agent' | 'contact' | null; authorName: string | null; authorEmail: string | null };

export async function findReplySource(executor: Executor, messageId: string): Promise<ReplySource | null> {
  const row = await executor
    .selectFrom('messages')
    .leftJoin('users', 'users.id', 'messages.author_id')
    .select(['messages.id', 'messages.ticket_id', 'messages.body', 'messages.is_internal', 'messages.author_id', 'users.kind', 'users.name', 'users.email'])
    .where('messages.id', '=', messageId)
    .executeTakeFirst();
  if (!row) return null;
  return { id: row.id, ticketId: row.ticket_id, body: row.body, isInternal: row.is_internal, authorId: row.author_id, authorKind: row.kind, authorName: row.name, authorEmail: row.email };
}

/** The requester (when active) first, then the case's CC'd participants (with their profile language when they are users). */
export async function listCaseRecipients(executor: Executor, ticketId: string): Promise<MailRecipient[]> {
  const requester = await findRequester(executor, ticketId);
  const participants = await executor
    .selectFrom('ticket_participants')
    .leftJoin('users', (join) => join.onRef('users.id', '=', 'ticket_participants.user_id'))
    .select(['ticket_participants.email', 'users.id', 'users.name', 'users.locale'])
    .where('ticket_participants.ticket_id', '=', ticketId)
    .orderBy('ticket_participants.created_at')
    .execute();
  const recipients: MailRecipient[] = [];
  if (requester) recipients.push(requester);
  for (const participant of participants) {
    recipients.push({ email: participant.email, name: participant.name ?? '', locale: participant.locale ?? requester?.locale ?? 'en', userId: participant.id });
  }
  const seen = new Set<string>();
  return recipients.filter((recipient) => {
    const key = recipient.email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function findRequester(executor: Executor, ticketId: string): Promise<MailRecipient | null> {
  const row = await executor
    .selectFrom('tickets')
    .innerJoin('users', 'users.id', 'tickets.requester_id')
    .select(['users.id', 'users.email', 'users.name', 'users.locale', 'users.is_active'])
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
  return row?.is_active ? { email: row.email, name: row.name, locale: row.locale, userId: row.id } : null;
}
