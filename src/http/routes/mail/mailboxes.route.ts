import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createMailbox, CreateMailboxInput, getMailbox, listMailboxes, Mailbox, updateMailbox, UpdateMailboxInput } from '../../../domain/mail/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

/** Mailboxes: the addresses Casebook receives mail for (SMTP listener, IMAP polling). Admins only. */
export function registerMailboxRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.get(
    '/api/v1/mailboxes',
    { config: policy('admin'), schema: { tags: ['mail'], summary: 'Mailboxes Casebook receives mail for', response: { 200: z.object({ items: z.array(Mailbox) }), ...errorResponses } } },
    async (request) => ({ items: await listMailboxes(db(), requireActor(request)) }),
  );
  routes.post(
    '/api/v1/mailboxes',
    { config: policy('admin'), schema: { tags: ['mail'], summary: 'Add a mailbox (address, default team, optional IMAP source)', body: CreateMailboxInput, response: { 201: Mailbox, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await createMailbox(db(), requireActor(request), request.body)),
  );
  routes.get('/api/v1/mailboxes/:id', { config: policy('admin'), schema: { tags: ['mail'], params: IdParams, response: { 200: Mailbox, ...errorResponses } } }, async (request) =>
    getMailbox(db(), requireActor(request), request.params.id),
  );
  routes.patch(
    '/api/v1/mailboxes/:id',
    { config: policy('admin'), schema: { tags: ['mail'], summary: 'Change a mailbox: address, name, team, IMAP source, active', params: IdParams, body: UpdateMailboxInput, response: { 200: Mailbox, ...errorResponses } } },
    async (request) => updateMailbox(db(), requireActor(request), request.params.id, request.body),
  );
}
