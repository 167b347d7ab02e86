import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { getPanicQuota, listPanicHistory, PanicEvent, PanicHistoryQuery, PanicPress, PanicQuota, pressPanicButton, PressPanicInput } from '../../../domain/panic/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

export function registerPanicRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.post(
    '/api/v1/panic',
    {
      config: policy('authenticated'),
      schema: {
        tags: ['panic'],
        summary: 'Press the panic button: a P1 case, the whole vendor alerted (customer contacts of an entitled organisation)',
        body: PressPanicInput,
        response: { 201: PanicPress, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await pressPanicButton(db(), requireActor(request), request.body)),
  );
  routes.get(
    '/api/v1/panic',
    { config: policy('agent'), schema: { tags: ['panic'], summary: 'Panic history: who pressed, when, which case', querystring: PanicHistoryQuery, response: { 200: z.object({ items: z.array(PanicEvent), nextCursor: z.string().nullable() }), ...errorResponses } } },
    async (request) => listPanicHistory(db(), requireActor(request), request.query),
  );
  routes.get(
    '/api/v1/organizations/:id/panic-quota',
    { config: policy('authenticated'), schema: { tags: ['panic'], summary: 'Panic presses left this contract year and when the quota renews', params: IdParams, response: { 200: PanicQuota, ...errorResponses } } },
    async (request) => getPanicQuota(db(), requireActor(request), request.params.id),
  );
}
