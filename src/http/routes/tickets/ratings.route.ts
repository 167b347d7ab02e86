import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listMessageRatings, MessageRating, RateMessageInput, rateMessage } from '../../../domain/tickets/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

const MessageParams = IdParams.extend({ messageId: z.uuid() });

export function registerRatingRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.put(
    '/api/v1/tickets/:id/messages/:messageId/rating',
    {
      config: policy('authenticated'),
      schema: { tags: ['tickets'], summary: 'Rate an agent answer good or bad, with an optional comment (customer contacts; again replaces)', params: MessageParams, body: RateMessageInput, response: { 200: MessageRating, ...errorResponses } },
    },
    async (request) => rateMessage(db(), requireActor(request), request.params.id, request.params.messageId, request.body),
  );
  routes.get(
    '/api/v1/tickets/:id/ratings',
    { config: policy('authenticated'), schema: { tags: ['tickets'], summary: 'Ratings of the answers on this case', params: IdParams, response: { 200: z.object({ items: z.array(MessageRating) }), ...errorResponses } } },
    async (request) => ({ items: await listMessageRatings(db(), requireActor(request), request.params.id) }),
  );
}
