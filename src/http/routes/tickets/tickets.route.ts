import type { FastifyInstance } from 'fastify';
import { createTicket, CreateTicketInput, getTicket, listTickets, ListTicketsQuery, Ticket, updateTicket, UpdateTicketInput } from '../../../domain/tickets/index.ts';
import { evaluatePriority } from '../../../domain/routing/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, pageOf, policy, zodRoutes } from '../../route.ts';

export function registerTicketRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.post(
    '/api/v1/tickets',
    { config: policy('authenticated'), schema: { tags: ['tickets'], summary: 'Open a case (send Idempotency-Key to make retries safe)', body: CreateTicketInput, response: { 201: Ticket, ...errorResponses } } },
    async (request, reply) =>
      reply.status(201).send(await createTicket(db(), requireActor(request), request.body, { derivePriority: (tx, facts) => evaluatePriority(tx, facts) })),
  );
  routes.get(
    '/api/v1/tickets',
    { config: policy('authenticated'), schema: { tags: ['tickets'], summary: 'A queue view of cases, cursor-paginated', querystring: ListTicketsQuery, response: { 200: pageOf(Ticket), ...errorResponses } } },
    async (request) => listTickets(db(), requireActor(request), request.query),
  );
  routes.get(
    '/api/v1/tickets/:id',
    { config: policy('authenticated'), schema: { tags: ['tickets'], params: IdParams, response: { 200: Ticket, ...errorResponses } } },
    async (request) => getTicket(db(), requireActor(request), request.params.id),
  );
  routes.patch(
    '/api/v1/tickets/:id',
    { config: policy('authenticated'), schema: { tags: ['tickets'], summary: 'Change status, priority, assignee, team, line, tags…', params: IdParams, body: UpdateTicketInput, response: { 200: Ticket, ...errorResponses } } },
    async (request) => updateTicket(db(), requireActor(request), request.params.id, request.body),
  );
}
