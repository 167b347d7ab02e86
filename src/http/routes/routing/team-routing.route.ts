import type { FastifyInstance } from 'fastify';
import { getTeamRouting, setTeamRouting, SetTeamRoutingInput, TeamRouting } from '../../../domain/routing/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

export function registerTeamRoutingRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.get(
    '/api/v1/teams/:id/routing',
    { config: policy('agent'), schema: { tags: ['routing'], summary: 'How the team assigns new cases', params: IdParams, response: { 200: TeamRouting, ...errorResponses } } },
    async (request) => getTeamRouting(db(), requireActor(request), request.params.id),
  );
  routes.put(
    '/api/v1/teams/:id/routing',
    {
      config: policy('admin'),
      schema: { tags: ['routing'], summary: 'Choose round-robin, least-loaded or manual assignment for the team', params: IdParams, body: SetTeamRoutingInput, response: { 200: TeamRouting, ...errorResponses } },
    },
    async (request) => setTeamRouting(db(), requireActor(request), request.params.id, request.body),
  );
}
