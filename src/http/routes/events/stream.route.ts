import type { FastifyInstance } from 'fastify';
import { canTicket } from '../../../domain/tickets/index.ts';
import type { Actor } from '../../../domain/identity/index.ts';
import { findOrganization } from '../../../domain/accounts/index.ts';
import type { RealtimeEvent } from '../../../platform/realtime.ts';
import { requireActor } from '../../plugins/auth.ts';
import { policy } from '../../route.ts';

/** Whether a connected user may learn of this event: the same rules as reading the case. */
export function isEventVisible(actor: Actor, event: RealtimeEvent): boolean {
  const payload = event.payload;
  if (typeof payload.ticketId !== 'string') return actor.kind === 'agent';
  if (payload.internal === true && actor.kind !== 'agent') return false;
  return canTicket(actor, 'ticket.read', {
    organizationId: String(payload.organizationId),
    requesterId: String(payload.requesterId),
    organizationSharesCases: payload.organizationSharesCases === true,
  });
}

/**
 * A contact's colleague's case event that did not say whether the organisation shares cases (most
 * events carry only the case row): visible if it does, like reading the case.
 */
function needsSharingCheck(actor: Actor, event: RealtimeEvent): boolean {
  const payload = event.payload;
  return (
    actor.kind === 'contact' &&
    typeof payload.ticketId === 'string' &&
    payload.internal !== true &&
    payload.organizationSharesCases === undefined &&
    actor.organizationId !== null &&
    payload.organizationId === actor.organizationId
  );
}

/** Organisations' sharing setting, cached a few seconds per process (a change shows within that time). */
function sharingCache(app: FastifyInstance, ttlMs = 5_000) {
  const cache = new Map<string, { shares: boolean; until: number }>();
  return {
    async sharesCases(organizationId: string): Promise<boolean> {
      const hit = cache.get(organizationId);
      if (hit && hit.until > Date.now()) return hit.shares;
      const organization = await findOrganization(app.services.database.db, organizationId);
      const shares = organization?.sharesCases ?? false;
      cache.set(organizationId, { shares, until: Date.now() + ttlMs });
      return shares;
    },
  };
}

/** Server-sent events: case changes pushed to the signed-in user as they commit. */
export function registerEventStreamRoute(app: FastifyInstance): void {
  const sharing = sharingCache(app);
  app.get('/api/v1/events/stream', { config: policy('authenticated'), schema: { tags: ['events'], summary: 'Server-sent events of case changes (text/event-stream)' } }, async (request, reply) => {
    const actor = requireActor(request);
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write(`retry: 3000\n: connected\n\n`);
    const write = (event: RealtimeEvent) => {
      const { organizationSharesCases: _hidden, ...payload } = event.payload;
      response.write(`id: ${event.id}\nevent: ${event.topic}\ndata: ${JSON.stringify(payload)}\n\n`);
    };
    // Events go out in commit order; one that needs the organisation's sharing setting waits for it.
    let queue: Promise<void> = Promise.resolve();
    const unsubscribe = app.services.realtime.subscribe((event) => {
      if (isEventVisible(actor, event)) {
        queue = queue.then(() => write(event));
        return;
      }
      if (!needsSharingCheck(actor, event)) return;
      queue = queue
        .then(async () => {
          if (await sharing.sharesCases(String(event.payload.organizationId))) write(event);
        })
        .catch((error: unknown) => request.log.warn({ err: error }, 'event stream: sharing lookup failed'));
    });
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
}
