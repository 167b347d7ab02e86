import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Contract, getContracts, putContract, PutContractInput } from '../../../domain/plans/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

export function registerContractRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.put(
    '/api/v1/organizations/:id/contract',
    { config: policy('admin'), schema: { tags: ['organizations'], summary: 'Record the organisation contract: plan and dates', params: IdParams, body: PutContractInput, response: { 200: Contract, ...errorResponses } } },
    async (request) => putContract(db(), requireActor(request), request.params.id, request.body),
  );
  routes.get(
    '/api/v1/organizations/:id/contract',
    { config: policy('authenticated'), schema: { tags: ['organizations'], params: IdParams, response: { 200: z.object({ active: Contract.nullable(), history: z.array(Contract) }), ...errorResponses } } },
    async (request) => getContracts(db(), requireActor(request), request.params.id),
  );
}
