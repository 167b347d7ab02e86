import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createTeam, CreateTeamInput, listTeams, Team, updateTeam, UpdateTeamInput } from '../../../domain/identity/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

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
  zodRoutes(app).patch(
    '/api/v1/teams/:id',
    { config: policy('admin'), schema: { tags: ['teams'], summary: 'Rename a team, change its lead or replace its members', params: IdParams, body: UpdateTeamInput, response: { 200: Team, ...errorResponses } } },
    async (request) => updateTeam(app.services.database.db, requireActor(request), request.params.id, request.body),
  );
}
