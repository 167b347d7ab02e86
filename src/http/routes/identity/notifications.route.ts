import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listNotifications, ListNotificationsQuery, markRead, MarkReadInput, Notification } from '../../../domain/notifications/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, policy, zodRoutes } from '../../route.ts';

export function registerNotificationRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  routes.get(
    '/api/v1/notifications',
    { config: policy('authenticated'), schema: { tags: ['notifications'], summary: 'My in-app notifications', querystring: ListNotificationsQuery, response: { 200: z.object({ items: z.array(Notification) }), ...errorResponses } } },
    async (request) => ({ items: await listNotifications(app.services.database.db, requireActor(request), request.query) }),
  );
  routes.post(
    '/api/v1/notifications/read',
    { config: policy('authenticated'), schema: { tags: ['notifications'], summary: 'Mark notifications read', body: MarkReadInput, response: { 200: z.object({ updated: z.number().int() }), ...errorResponses } } },
    async (request) => ({ updated: await markRead(app.services.database.db, requireActor(request), request.body) }),
  );
}
