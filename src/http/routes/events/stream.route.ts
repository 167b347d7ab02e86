import type { FastifyInstance } from 'fastify';
import { canTicket } from '../../../domain/tickets/index.ts';
import type { Actor } from '../../../domain/identity/index.ts';
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

/** Server-sent events: case changes pushed to the signed-in user as they commit. */
export function registerEventStreamRoute(app: FastifyInstance): void {
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
    const unsubscribe = app.services.realtime.subscribe((event) => {
      if (!isEventVisible(actor, event)) return;
      const { organizationSharesCases: _hidden, ...payload } = event.payload;
      response.write(`id: ${event.id}\nevent: ${event.topic}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
}
