import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createUser, CreateUserInput, getUser, listUsers, Role, updateUser, UpdateUserInput, User } from '../../../domain/identity/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, pageOf, policy, zodRoutes } from '../../route.ts';

const ListUsersQuery = z
  .object({
    kind: z.enum(['agent', 'contact']).optional(),
    organizationId: z.uuid().optional(),
    role: Role.optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z.uuid().optional(),
  })
  .strict();

export function registerUserRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  routes.post(
    '/api/v1/users',
    { config: policy('authenticated'), schema: { tags: ['users'], summary: 'Create an agent or a customer contact', body: CreateUserInput, response: { 201: User, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await createUser(app.services.database.db, requireActor(request), request.body)),
  );
  routes.get(
    '/api/v1/users',
    { config: policy('authenticated'), schema: { tags: ['users'], summary: 'List users you may see', querystring: ListUsersQuery, response: { 200: pageOf(User), ...errorResponses } } },
    async (request) => listUsers(app.services.database.db, requireActor(request), request.query),
  );
  routes.get(
    '/api/v1/users/:id',
    { config: policy('authenticated'), schema: { tags: ['users'], params: IdParams, response: { 200: User, ...errorResponses } } },
    async (request) => getUser(app.services.database.db, requireActor(request), request.params.id),
  );
  routes.patch(
    '/api/v1/users/:id',
    { config: policy('authenticated'), schema: { tags: ['users'], params: IdParams, body: UpdateUserInput, response: { 200: User, ...errorResponses } } },
    async (request) => updateUser(app.services.database.db, requireActor(request), request.params.id, request.body),
  );
}
