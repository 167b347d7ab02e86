import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addMessage, AddMessageInput, getTimeline, listMessages, Message, TimelineEntry } from '../../../domain/tickets/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

export function registerMessageRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.post(
    '/api/v1/tickets/:id/messages',
    { config: policy('authenticated'), schema: { tags: ['tickets'], summary: 'Add a public reply or an internal note', params: IdParams, body: AddMessageInput, response: { 201: Message, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await addMessage(db(), requireActor(request), request.params.id, request.body)),
  );
  routes.get(
    '/api/v1/tickets/:id/messages',
    { config: policy('authenticated'), schema: { tags: ['tickets'], params: IdParams, response: { 200: z.object({ items: z.array(Message) }), ...errorResponses } } },
    async (request) => ({ items: await listMessages(db(), requireActor(request), request.params.id) }),
  );
  routes.get(
    '/api/v1/tickets/:id/timeline',
    { config: policy('authenticated'), schema: { tags: ['tickets'], summary: 'The audit timeline of the case', params: IdParams, response: { 200: z.object({ items: z.array(TimelineEntry) }), ...errorResponses } } },
    async (request) => ({ items: await getTimeline(db(), requireActor(request), request.params.id) }),
  );
}
