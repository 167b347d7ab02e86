import type { Executor } from '../db/database.ts';

/** Topics carried by the outbox. Each processor subscribes to the topics it handles. */
export type EventTopic =
  | 'ticket.created'
  | 'ticket.updated'
  | 'ticket.message-added'
  | 'ticket.merged'
  | 'ticket.linked'
  | 'ticket.assigned'
  | 'ticket.escalated'
  | 'ticket.rated'
  | 'ticket.presence'
  | 'organization.changed'
  | 'user.changed'
  | 'panic.pressed'
  | 'sla.notice'
  | 'calendar.changed'
  | 'plan.changed'
  | 'mail.received'
  | 'mail.queued';

export type OutboxEvent = { id: string; topic: EventTopic; payload: Record<string, unknown>; attempts: number };

/** Writes an event in the caller's transaction: it exists if and only if the change committed. */
export async function enqueueEvent(executor: Executor, topic: EventTopic, payload: Record<string, unknown>): Promise<void> {
  await executor.insertInto('outbox').values({ topic, payload: JSON.stringify(payload) }).execute();
}
