import type { FastifyInstance } from 'fastify';
import { getUser, User } from '../../../domain/identity/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, policy, zodRoutes } from '../../route.ts';

export function registerMeRoute(app: FastifyInstance): void {
  zodRoutes(app).get(
    '/api/v1/me',
    { config: policy('authenticated'), schema: { tags: ['users'], summary: 'The signed-in user', response: { 200: User, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      return getUser(app.services.database.db, actor, actor.userId);
    },
  );
}
