import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CreateLinkInput, linkTickets, listLinks, mergeTickets, MergeTicketInput, Ticket, TicketLink } from '../../../domain/tickets/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

export function registerLinkRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.post(
    '/api/v1/tickets/:id/links',
    { config: policy('agent'), schema: { tags: ['tickets'], summary: 'Link to a related or duplicate case, or to an upstream vendor case', params: IdParams, body: CreateLinkInput, response: { 201: TicketLink, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await linkTickets(db(), requireActor(request), request.params.id, request.body)),
  );
  routes.get(
    '/api/v1/tickets/:id/links',
    { config: policy('authenticated'), schema: { tags: ['tickets'], params: IdParams, response: { 200: z.object({ items: z.array(TicketLink) }), ...errorResponses } } },
    async (request) => ({ items: await listLinks(db(), requireActor(request), request.params.id) }),
  );
  routes.post(
    '/api/v1/tickets/:id/merge',
    { config: policy('agent'), schema: { tags: ['tickets'], summary: 'Merge this case into targetId (same organisation)', params: IdParams, body: MergeTicketInput, response: { 200: Ticket, ...errorResponses } } },
    async (request) => mergeTickets(db(), requireActor(request), request.params.id, request.body),
  );
}
