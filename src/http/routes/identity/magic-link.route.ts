import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { consumeMagicLink, ConsumeMagicLinkInput, requestMagicLink, RequestMagicLinkInput, User, type SendMagicLink } from '../../../domain/identity/index.ts';
import { queueMail } from '../../../domain/mail/index.ts';
import { errorResponses, ErrorResponse, policy, zodRoutes } from '../../route.ts';
import { setSessionCookie } from './sign-in.route.ts';

export function registerMagicLinkRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  const publicUrl = () => app.services.config.mail.publicUrl ?? `http://localhost:${app.services.config.port}`;
  const send: SendMagicLink = async (tx, link) => {
    await queueMail(tx, {
      kind: 'magic-link',
      dedupeKey: `magic-link:${link.token.slice(-16)}`,
      to: [link.user.email],
      locale: link.user.locale,
      template: 'magic-link',
      data: { name: link.user.name, url: link.url, expiresInMinutes: link.expiresInMinutes },
    }, app.services.config.mail);
  };

  routes.post(
    '/api/v1/auth/magic-link',
    {
      config: policy('public'),
      schema: {
        tags: ['auth'],
        summary: 'E-mail a single-use sign-in link (15 minutes); always 202, whether or not the address has an account',
        body: RequestMagicLinkInput,
        response: { 202: z.object({ status: z.literal('sent-if-known') }), ...errorResponses },
      },
    },
    async (request, reply) => {
      await requestMagicLink(db(), request.body, request.ip, { publicUrl: publicUrl(), send });
      return reply.status(202).send({ status: 'sent-if-known' as const });
    },
  );

  routes.post(
    '/api/v1/auth/magic-link/consume',
    {
      config: policy('public'),
      schema: {
        tags: ['auth'],
        summary: 'Trade a sign-in link token for a session (sets the session cookie, returns the CSRF token)',
        body: ConsumeMagicLinkInput,
        response: { 200: z.object({ user: User, csrfToken: z.string() }), 410: ErrorResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await consumeMagicLink(db(), request.body);
      setSessionCookie(app, reply, result.sessionToken);
      return { user: result.user, csrfToken: result.csrfToken };
    },
  );
}
