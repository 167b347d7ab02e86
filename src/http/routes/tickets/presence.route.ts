import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { announcePresence, AnnouncePresenceInput } from '../../../domain/tickets/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

export function registerPresenceRoutes(app: FastifyInstance): void {
  zodRoutes(app).post(
    '/api/v1/tickets/:id/presence',
    {
      config: policy('agent'),
      schema: { tags: ['tickets'], summary: 'Collision detection: tell the other agents you are viewing, typing on or leaving this case (pushed as ticket.presence)', params: IdParams, body: AnnouncePresenceInput, response: { 204: z.null(), ...errorResponses } },
    },
    async (request, reply) => {
      await announcePresence(app.services.database.db, requireActor(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );
}
