import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listSubscriptions, SubscribeInput, subscribeToOrganization, Subscription, unsubscribeFromOrganization } from '../../../domain/subscriptions/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, policy, zodRoutes } from '../../route.ts';

export function registerSubscriptionRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.post(
    '/api/v1/subscriptions',
    { config: policy('agent'), schema: { tags: ['subscriptions'], summary: 'Follow an organisation: its new cases notify me (201 new, 200 already following)', body: SubscribeInput, response: { 200: Subscription, 201: Subscription, ...errorResponses } } },
    async (request, reply) => {
      const { subscription, isNew } = await subscribeToOrganization(db(), requireActor(request), request.body);
      return reply.status(isNew ? 201 : 200).send(subscription);
    },
  );
  routes.delete(
    '/api/v1/subscriptions/:organizationId',
    { config: policy('agent'), schema: { tags: ['subscriptions'], summary: 'Stop following an organisation (a named TAM follows it while in the role)', params: z.object({ organizationId: z.uuid() }), response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      await unsubscribeFromOrganization(db(), requireActor(request), request.params.organizationId);
      return reply.status(204).send(null);
    },
  );
  routes.get(
    '/api/v1/subscriptions',
    { config: policy('agent'), schema: { tags: ['subscriptions'], summary: 'The organisations I follow, explicitly or as a named TAM', response: { 200: z.object({ items: z.array(Subscription) }), ...errorResponses } } },
    async (request) => ({ items: await listSubscriptions(db(), requireActor(request)) }),
  );
}
