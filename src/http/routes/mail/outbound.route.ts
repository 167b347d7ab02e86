import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ListOutboundMailQuery, listOutboundMails, OutboundMail, retryOutboundMail } from '../../../domain/mail/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

export function registerOutboundMailRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.get(
    '/api/v1/mail/outbound',
    {
      config: policy('admin'),
      schema: { tags: ['mail'], summary: 'Outbound mail, newest first: dead letters, held (flagged address), queued and sent', querystring: ListOutboundMailQuery, response: { 200: z.object({ items: z.array(OutboundMail) }), ...errorResponses } },
    },
    async (request) => ({ items: await listOutboundMails(db(), requireActor(request), request.query) }),
  );
  routes.post(
    '/api/v1/mail/outbound/:id/retry',
    { config: policy('admin'), schema: { tags: ['mail'], summary: 'Queue a dead or held mail again (same Message-ID, attempts reset)', params: IdParams, response: { 200: OutboundMail, ...errorResponses } } },
    async (request) => retryOutboundMail(db(), requireActor(request), request.params.id),
  );
}
