import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { getTicketSla, listCasesBreachingSoon, TicketSla } from '../../../domain/sla/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

const BreachingSoonQuery = z
  .object({
    withinMinutes: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60),
    mine: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();
const BreachingSoonItem = z.object({ ticketId: z.uuid(), number: z.number().int(), kind: z.enum(['first-response', 'next-response', 'resolution']), cycle: z.number().int(), dueAt: z.string(), assigneeId: z.uuid().nullable() });

export function registerTicketSlaRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.get(
    '/api/v1/tickets/:id/sla',
    {
      config: policy('authenticated'),
      schema: {
        tags: ['tickets'],
        summary: 'SLA clocks of the case with the explanation of each due time (calendar, policy, pauses, events)',
        params: IdParams,
        response: { 200: TicketSla, ...errorResponses },
      },
    },
    async (request) => getTicketSla(db(), requireActor(request), request.params.id),
  );
  routes.get(
    '/api/v1/sla/breaching-soon',
    {
      config: policy('agent'),
      schema: { tags: ['tickets'], summary: 'Open cases whose running SLA clock is due within N minutes, soonest first', querystring: BreachingSoonQuery, response: { 200: z.object({ items: z.array(BreachingSoonItem) }), ...errorResponses } },
    },
    async (request) => {
      const { withinMinutes, mine, limit } = request.query;
      const items = await listCasesBreachingSoon(db(), requireActor(request), { withinMinutes, limit, mine: mine === 'true' });
      return { items: items.map((item) => ({ ...item, dueAt: item.dueAt.toISOString() })) };
    },
  );
}
