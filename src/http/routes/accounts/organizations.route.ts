import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createOrganization,
  CreateOrganizationInput,
  getOrganization,
  listOrganizations,
  Organization,
  updateOrganization,
  UpdateOrganizationInput,
} from '../../../domain/accounts/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, pageOf, policy, zodRoutes } from '../../route.ts';

const ListQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(200).optional(), cursor: z.uuid().optional(), search: z.string().max(200).optional() })
  .strict();

export function registerOrganizationRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.post(
    '/api/v1/organizations',
    { config: policy('agent'), schema: { tags: ['organizations'], summary: 'Create a customer organisation', body: CreateOrganizationInput, response: { 201: Organization, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await createOrganization(db(), requireActor(request), request.body)),
  );
  routes.get(
    '/api/v1/organizations',
    { config: policy('authenticated'), schema: { tags: ['organizations'], querystring: ListQuery, response: { 200: pageOf(Organization), ...errorResponses } } },
    async (request) => listOrganizations(db(), requireActor(request), request.query),
  );
  routes.get(
    '/api/v1/organizations/:id',
    { config: policy('authenticated'), schema: { tags: ['organizations'], params: IdParams, response: { 200: Organization, ...errorResponses } } },
    async (request) => getOrganization(db(), requireActor(request), request.params.id),
  );
  routes.patch(
    '/api/v1/organizations/:id',
    { config: policy('agent'), schema: { tags: ['organizations'], params: IdParams, body: UpdateOrganizationInput, response: { 200: Organization, ...errorResponses } } },
    async (request) => updateOrganization(db(), requireActor(request), request.params.id, request.body),
  );
}
