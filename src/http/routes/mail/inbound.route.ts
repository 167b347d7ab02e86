import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  InboundMailSummary,
  ListInboundMailQuery,
  listAddressFlags,
  listInboundMails,
  MailAddressFlag,
  releaseInboundMail,
  UnflaggedAddress,
  unflagAddress,
} from '../../../domain/mail/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

const AddressParams = z.object({ address: z.string().trim().min(3).max(320) });

export function registerInboundMailRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.get(
    '/api/v1/mail/inbound',
    {
      config: policy('admin'),
      schema: {
        tags: ['mail'],
        summary: 'Stored inbound mail, newest first; by default the mail that opened no case (failed, rate-limited). Raw bytes are never listed.',
        querystring: ListInboundMailQuery,
        response: { 200: z.object({ items: z.array(InboundMailSummary) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await listInboundMails(db(), requireActor(request), request.query) }),
  );
  routes.post(
    '/api/v1/mail/inbound/:id/release',
    {
      config: policy('admin'),
      schema: {
        tags: ['mail'],
        summary: 'Process a rate-limited or failed mail again, without the per-sender rate limit',
        params: IdParams,
        response: { 200: z.object({ id: z.uuid(), state: z.literal('received') }), ...errorResponses },
      },
    },
    async (request) => releaseInboundMail(db(), requireActor(request), request.params.id),
  );
  routes.get(
    '/api/v1/mail/address-flags',
    {
      config: policy('admin'),
      schema: { tags: ['mail'], summary: 'Addresses whose mail bounced (outbound mail to them is held)', response: { 200: z.object({ items: z.array(MailAddressFlag) }), ...errorResponses } },
    },
    async (request) => ({ items: await listAddressFlags(db(), requireActor(request)) }),
  );
  routes.delete(
    '/api/v1/mail/address-flags/:address',
    {
      config: policy('admin'),
      schema: { tags: ['mail'], summary: 'Unflag an address; mail held for it is queued again', params: AddressParams, response: { 200: UnflaggedAddress, ...errorResponses } },
    },
    async (request) => unflagAddress(db(), requireActor(request), request.params.address),
  );
}
