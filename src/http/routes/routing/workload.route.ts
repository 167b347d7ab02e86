import type { FastifyInstance } from 'fastify';
import { getWorkload, Workload, WorkloadQuery } from '../../../domain/routing/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, policy, zodRoutes } from '../../route.ts';

export function registerWorkloadRoutes(app: FastifyInstance): void {
  zodRoutes(app).get(
    '/api/v1/workload',
    {
      config: policy('agent'),
      schema: { tags: ['routing'], summary: 'Open cases per agent against capacity and shift, per team and per line', querystring: WorkloadQuery, response: { 200: Workload, ...errorResponses } },
    },
    async (request) => getWorkload(app.services.database.db, requireActor(request), request.query),
  );
}
