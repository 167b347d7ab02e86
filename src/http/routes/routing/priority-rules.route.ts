import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createPriorityRule,
  CreatePriorityRuleInput,
  deletePriorityRule,
  EvaluatePriorityInput,
  evaluatePriorityFor,
  listPriorityRules,
  PriorityEvaluation,
  PriorityRule,
} from '../../../domain/routing/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

export function registerPriorityRuleRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.get(
    '/api/v1/priority-rules',
    { config: policy('agent'), schema: { tags: ['routing'], summary: 'Priority from product and impact, in evaluation order', response: { 200: z.object({ items: z.array(PriorityRule) }), ...errorResponses } } },
    async (request) => ({ items: await listPriorityRules(db(), requireActor(request)) }),
  );
  routes.post(
    '/api/v1/priority-rules',
    { config: policy('admin'), schema: { tags: ['routing'], body: CreatePriorityRuleInput, response: { 201: PriorityRule, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await createPriorityRule(db(), requireActor(request), request.body)),
  );
  routes.delete(
    '/api/v1/priority-rules/:id',
    { config: policy('admin'), schema: { tags: ['routing'], params: IdParams, response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      await deletePriorityRule(db(), requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  routes.post(
    '/api/v1/priority-rules/evaluate',
    {
      config: policy('agent'),
      schema: {
        tags: ['routing'],
        summary: 'The priority the rules give a product and impact (product-specific rules first, then generic)',
        body: EvaluatePriorityInput,
        response: { 200: PriorityEvaluation, ...errorResponses },
      },
    },
    async (request) => evaluatePriorityFor(db(), requireActor(request), request.body),
  );
}
