import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { DomainError } from '../platform/errors.ts';
import { installErrorHandler } from './error-handler.ts';
import { installAuth } from './plugins/auth.ts';
import { installIdempotency } from './plugins/idempotency.ts';
import { installWebAssets } from './plugins/web-assets.ts';
import { registerOrganizationRoutes } from './routes/accounts/organizations.route.ts';
import { registerEnvironmentRoutes } from './routes/accounts/environment.route.ts';
import { registerControlRoute } from './routes/control/control.route.ts';
import { registerEventStreamRoute } from './routes/events/stream.route.ts';
import { registerMeRoute } from './routes/identity/me.route.ts';
import { registerNotificationRoutes } from './routes/identity/notifications.route.ts';
import { registerSignInRoutes } from './routes/identity/sign-in.route.ts';
import { registerMagicLinkRoutes } from './routes/identity/magic-link.route.ts';
import { registerTeamRoutes } from './routes/identity/teams.route.ts';
import { registerUserRoutes } from './routes/identity/users.route.ts';
import { registerPanicRoutes } from './routes/panic/panic.route.ts';
import { registerContractRoutes } from './routes/plans/contract.route.ts';
import { registerPlanRoutes } from './routes/plans/plans.route.ts';
import { registerEscalationRoutes } from './routes/routing/escalate.route.ts';
import { registerPriorityRuleRoutes } from './routes/routing/priority-rules.route.ts';
import { registerTeamRoutingRoutes } from './routes/routing/team-routing.route.ts';
import { registerWorkloadRoutes } from './routes/routing/workload.route.ts';
import { registerSubscriptionRoutes } from './routes/subscriptions/subscriptions.route.ts';
import { registerHealthRoutes } from './routes/system/health.route.ts';
import { registerAttachmentRoutes } from './routes/tickets/attachments.route.ts';
import { registerLinkRoutes } from './routes/tickets/links.route.ts';
import { registerMessageRoutes } from './routes/tickets/messages.route.ts';
import { registerPresenceRoutes } from './routes/tickets/presence.route.ts';
import { registerRatingRoutes } from './routes/tickets/ratings.route.ts';
import { registerTicketRoutes } from './routes/tickets/tickets.route.ts';
import { registerViewRoutes } from './routes/tickets/views.route.ts';
import { registerTicketSlaRoutes } from './routes/sla/ticket-sla.route.ts';
import { registerMailboxRoutes } from './routes/mail/mailboxes.route.ts';
import { registerOutboundMailRoutes } from './routes/mail/outbound.route.ts';
import { registerInboundMailRoutes } from './routes/mail/inbound.route.ts';
import type { AppServices } from './services.ts';

export type BuildAppOptions = { logger?: boolean | { level: string } };

/** Builds the HTTP application (no listen): main.ts listens, tests use inject(). */
export async function buildApp(services: AppServices, options: BuildAppOptions = {}): Promise<FastifyInstance & { routesWithoutPolicy: string[] }> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    // Off unless configured: X-Forwarded-For from anyone else would let a client pick its IP (and dodge throttling).
    trustProxy: services.config.trustProxy,
    ajv: undefined,
  });
  app.decorate('services', services);
  // JSON is the only body type outside the raw attachment upload: text/plain on a JSON route is a 415.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  // PostgreSQL text cannot hold U+0000: refuse it in any JSON body up front (400), not as a failed insert.
  app.addHook('preValidation', async (request) => {
    if (request.body !== null && typeof request.body === 'object' && !Buffer.isBuffer(request.body) && containsNul(request.body)) {
      throw new DomainError('VALIDATION_FAILED', 'Text must not contain the NUL character (\\u0000).');
    }
  });

  const routesWithoutPolicy: string[] = [];
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Casebook API', version: '1', description: 'Support operations: cases, organisations, users, SLAs.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token from `casebook token create`' },
          session: { type: 'apiKey', in: 'cookie', name: 'cb_session', description: 'Browser session; writes also need X-CSRF-Token' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  installAuth(app, routesWithoutPolicy);
  installIdempotency(app);

  app.get('/api/openapi.json', { config: { policy: 'public' }, schema: { hide: true } }, async () => app.swagger());
  registerHealthRoutes(app);
  registerSignInRoutes(app);
  registerMagicLinkRoutes(app);
  registerMeRoute(app);
  registerNotificationRoutes(app);
  registerUserRoutes(app);
  registerTeamRoutes(app);
  registerOrganizationRoutes(app);
  registerEnvironmentRoutes(app);
  registerPlanRoutes(app);
  registerContractRoutes(app);
  registerTeamRoutingRoutes(app);
  registerEscalationRoutes(app);
  registerWorkloadRoutes(app);
  registerPriorityRuleRoutes(app);
  registerPanicRoutes(app);
  registerSubscriptionRoutes(app);
  registerTicketRoutes(app);
  registerMessageRoutes(app);
  registerRatingRoutes(app);
  registerPresenceRoutes(app);
  registerLinkRoutes(app);
  registerViewRoutes(app);
  registerAttachmentRoutes(app);
  registerTicketSlaRoutes(app);
  registerMailboxRoutes(app);
  registerOutboundMailRoutes(app);
  registerInboundMailRoutes(app);
  registerEventStreamRoute(app);
  registerControlRoute(app);
  await installWebAssets(app);

  await app.ready();
  const built = app as unknown as FastifyInstance & { routesWithoutPolicy: string[] };
  built.routesWithoutPolicy = routesWithoutPolicy;
  return built;
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([key, inner]) => key.includes('\u0000') || containsNul(inner));
  return false;
}
