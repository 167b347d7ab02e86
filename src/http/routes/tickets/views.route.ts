import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { deleteView, listViews, SavedView, saveView, SaveViewInput } from '../../../domain/tickets/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

export function registerViewRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.get(
    '/api/v1/views',
    { config: policy('agent'), schema: { tags: ['tickets'], summary: 'The built-in queue views and the caller’s own saved views', response: { 200: z.object({ items: z.array(SavedView) }), ...errorResponses } } },
    async (request) => ({ items: await listViews(db(), requireActor(request)) }),
  );
  routes.post(
    '/api/v1/views',
    { config: policy('agent'), schema: { tags: ['tickets'], summary: 'Save the current queue filters as a named view (visible to the caller only)', body: SaveViewInput, response: { 201: SavedView, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await saveView(db(), requireActor(request), request.body)),
  );
  routes.delete(
    '/api/v1/views/:id',
    { config: policy('agent'), schema: { tags: ['tickets'], summary: 'Delete one of the caller’s own saved views', params: IdParams, response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      await deleteView(db(), requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
