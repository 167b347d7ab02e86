import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { SESSION_DAYS, signIn, SignInInput, signOut, User } from '../../../domain/identity/index.ts';
import { SESSION_COOKIE } from '../../plugins/auth.ts';
import { errorResponses, policy, zodRoutes } from '../../route.ts';

/** The browser session cookie, the same for every way of signing in (password, magic link). */
export function setSessionCookie(app: FastifyInstance, reply: FastifyReply, sessionToken: string): void {
  reply.setCookie(SESSION_COOKIE, sessionToken, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: app.services.config.cookieSecure,
    maxAge: SESSION_DAYS * 86_400,
  });
}

export function registerSignInRoutes(app: FastifyInstance): void {
  zodRoutes(app).post(
    '/api/v1/auth/login',
    {
      config: policy('public'),
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password; sets an HttpOnly session cookie and returns the CSRF token',
        body: SignInInput,
        response: { 200: z.object({ user: User, csrfToken: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await signIn(app.services.database.db, request.body, request.ip);
      setSessionCookie(app, reply, result.sessionToken);
      return { user: result.user, csrfToken: result.csrfToken };
    },
  );

  zodRoutes(app).post(
    '/api/v1/auth/logout',
    { config: policy('authenticated'), schema: { tags: ['auth'], summary: 'Sign out (ends the session)', response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      if (request.sessionToken) await signOut(app.services.database.db, request.sessionToken);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );
}
