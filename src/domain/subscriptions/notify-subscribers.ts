import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import type { OutboxEvent } from '../../platform/outbox/outbox.ts';
import type { EventHandler } from '../../platform/outbox/processor.ts';
import { isDomainError } from '../../platform/errors.ts';
import { findOrganization, getEnvironment } from '../accounts/index.ts';
import { SYSTEM_ACTOR } from '../identity/index.ts';
import { notifyUsers } from '../notifications/index.ts';
import { getTicket } from '../tickets/index.ts';
import { followerIdsOf, organizationsWithFollowers } from './subscriptions.repo.ts';
import type { NoticeEnvironment } from './subscriptions.types.ts';

const NewCaseEvent = z.object({ ticketId: z.uuid() }).loose();

/**
 * On `ticket.created`: every follower of the case's organisation (explicit subscribers and named
 * TAMs) gets an in-app and e-mail notice with the environment profile the case was opened
 * against. Urgent (e-mail at once) for P1, otherwise e-mail waits for the follower's working hours.
 * Idempotent: the dedupe key `subscribed:<ticketId>` stores each notice once, so a replayed event
 * notifies nobody twice. Returns how many notifications were new.
 */
export async function notifySubscribersOfNewCase(db: Db, payload: Record<string, unknown>, now = new Date()): Promise<number> {
  const event = NewCaseEvent.safeParse(payload);
  if (!event.success) return 0;
  const ticket = await getTicket(db, SYSTEM_ACTOR, event.data.ticketId).catch((error: unknown) => {
    if (isDomainError(error) && error.code === 'TICKET_NOT_FOUND') return undefined;
    throw error;
  });
  if (!ticket) return 0;
  const followerIds = await followerIdsOf(db, ticket.organizationId);
  if (followerIds.length === 0) return 0;
  const organization = await findOrganization(db, ticket.organizationId);
  return notifyUsers(
    db,
    {
      userIds: followerIds,
      kind: 'case.new-subscribed',
      ticketId: ticket.id,
      payload: {
        ticketId: ticket.id,
        number: ticket.number,
        subject: ticket.subject,
        priority: ticket.priority,
        isPanic: ticket.isPanic,
        organizationId: ticket.organizationId,
        organizationName: organization?.name ?? null,
        environment: await environmentOfCase(db, ticket.organizationId, ticket.environmentVersion),
      },
      dedupeKey: `subscribed:${ticket.id}`,
      isUrgent: ticket.priority === 'P1',
    },
    now,
  );
}

async function environmentOfCase(db: Db, organizationId: string, version: number | null): Promise<NoticeEnvironment> {
  if (version === null) return null;
  try {
    const profile = await getEnvironment(db, SYSTEM_ACTOR, organizationId, version);
    return { version: profile.version, components: profile.components, notes: profile.notes };
  } catch (error) {
    if (isDomainError(error) && error.code === 'ENVIRONMENT_NOT_FOUND') return null;
    throw error;
  }
}

/**
 * The outbox subscriber for `ticket.created`. Over a claimed batch, one read finds which of the
 * cases' organisations anybody follows; only those cases go through notifySubscribersOfNewCase
 * (most organisations have no follower, so most batches stop at that read).
 */
export function subscriptionsHandler(db: Db): EventHandler {
  const handleBatch = async (events: OutboxEvent[]): Promise<void> => {
    const organizationOf = (event: OutboxEvent) => (typeof event.payload.organizationId === 'string' ? event.payload.organizationId : undefined);
    const followed = await organizationsWithFollowers(db, events.flatMap((event) => organizationOf(event) ?? []));
    for (const event of events) {
      const organizationId = organizationOf(event);
      // An event without its organisation (older payloads) takes the full path, which reads the case.
      if (organizationId === undefined || followed.has(organizationId)) await notifySubscribersOfNewCase(db, event.payload);
    }
  };
  return { name: 'subscriptions', topics: ['ticket.created'], handle: (event) => handleBatch([event]), handleBatch };
}
