import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { identityError, isAdmin, isAgent, resolveApiToken, resolveSession } from '../../domain/identity/index.ts';
import { DomainError } from '../../platform/errors.ts';
import { HTTP_ERRORS } from '../error-map.ts';
import type { RoutePolicy } from '../services.ts';

export const SESSION_COOKIE = 'cb_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameSecret(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Authentication (Bearer API token or session cookie), CSRF for cookie-authenticated writes, and
 * the route policy gate. Routes without a policy are recorded at registration and answer 403.
 */
export function installAuth(app: FastifyInstance, routesWithoutPolicy: string[]): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('authMethod', null);
  app.decorateRequest('sessionToken', null);

  app.addHook('onRoute', (route) => {
    const policy = route.config?.policy;
    if (!policy && !String(route.url).startsWith('/api/docs')) routesWithoutPolicy.push(`${route.method} ${route.url}`);
  });

  app.addHook('onRequest', async (request) => {
    await authenticate(app, request);
    const policy: RoutePolicy | undefined = request.routeOptions.config?.policy ?? (request.url.startsWith('/api/docs') ? 'public' : undefined);
    if (request.routeOptions.url === undefined) return; // 404 handler
    if (!policy) throw new DomainError('ROUTE_POLICY_MISSING', HTTP_ERRORS.ROUTE_POLICY_MISSING);
    enforcePolicy(app, request, policy);
  });
}

async function authenticate(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  const database = app.services.database;
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw identityError('AUTH_TOKEN_INVALID');
    const actor = await resolveApiToken(database.db, match[1]!);
    if (!actor) throw identityError('AUTH_TOKEN_INVALID');
    request.actor = actor;
    request.authMethod = 'token';
    return;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return;
  const session = await resolveSession(database.db, cookie);
  if (!session) return;
  request.actor = session.actor;
  request.authMethod = 'session';
  request.sessionToken = cookie;
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) throw identityError('CSRF_TOKEN_INVALID');
  }
}

function enforcePolicy(app: FastifyInstance, request: FastifyRequest, policy: RoutePolicy): void {
  if (policy === 'public') return;
  if (policy === 'control') {
    const token = app.services.controlToken;
    const sent = request.headers['x-casebook-control'];
    if (!token || typeof sent !== 'string' || !sameSecret(sent, token)) throw identityError('FORBIDDEN');
    return;
  }
  const actor = request.actor;
  if (!actor) throw identityError('AUTH_REQUIRED');
  if (policy === 'agent' && !isAgent(actor)) throw identityError('FORBIDDEN');
  if (policy === 'admin' && !isAdmin(actor)) throw identityError('FORBIDDEN');
}

export function requireActor(request: FastifyRequest) {
  if (!request.actor) throw identityError('AUTH_REQUIRED');
  return request.actor;
}
