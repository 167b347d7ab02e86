import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createTeam, CreateTeamInput, listTeams, Team } from '../../../domain/identity/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, policy, zodRoutes } from '../../route.ts';

export function registerTeamRoutes(app: FastifyInstance): void {
  zodRoutes(app).post(
    '/api/v1/teams',
    { config: policy('admin'), schema: { tags: ['teams'], body: CreateTeamInput, response: { 201: Team, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await createTeam(app.services.database.db, requireActor(request), request.body)),
  );
  zodRoutes(app).get(
    '/api/v1/teams',
    { config: policy('agent'), schema: { tags: ['teams'], response: { 200: z.object({ items: z.array(Team) }), ...errorResponses } } },
    async (request) => ({ items: await listTeams(app.services.database.db, requireActor(request)) }),
  );
}
