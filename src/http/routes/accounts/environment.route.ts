import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EnvironmentProfile, getEnvironment, listEnvironmentHistory, putEnvironment, PutEnvironmentInput } from '../../../domain/accounts/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

export function registerEnvironmentRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.get(
    '/api/v1/organizations/:id/environment',
    {
      config: policy('authenticated'),
      schema: {
        tags: ['organizations'],
        summary: 'The current environment profile, or ?version=N',
        params: IdParams,
        querystring: z.object({ version: z.coerce.number().int().min(1).optional() }).strict(),
        response: { 200: EnvironmentProfile, ...errorResponses },
      },
    },
    async (request) => getEnvironment(db(), requireActor(request), request.params.id, request.query.version),
  );
  routes.put(
    '/api/v1/organizations/:id/environment',
    {
      config: policy('authenticated'),
      schema: { tags: ['organizations'], summary: 'Record a new environment profile version', params: IdParams, body: PutEnvironmentInput, response: { 200: EnvironmentProfile, ...errorResponses } },
    },
    async (request) => putEnvironment(db(), requireActor(request), request.params.id, request.body),
  );
  routes.get(
    '/api/v1/organizations/:id/environment/history',
    { config: policy('authenticated'), schema: { tags: ['organizations'], params: IdParams, response: { 200: z.object({ items: z.array(EnvironmentProfile) }), ...errorResponses } } },
    async (request) => ({ items: await listEnvironmentHistory(db(), requireActor(request), request.params.id) }),
  );
}
