import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { migrationStatus } from '../../../platform/db/migrate.ts';
import { policy, zodRoutes } from '../../route.ts';

export function registerHealthRoutes(app: FastifyInstance): void {
  zodRoutes(app).get('/healthz', { config: policy('public'), schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({
    status: 'ok' as const,
  }));

  zodRoutes(app).get(
    '/readyz',
    {
      config: policy('public'),
      schema: {
        hide: true,
        response: {
          200: z.object({ status: z.literal('ready'), engine: z.string() }),
          503: z.object({ status: z.literal('not-ready'), reason: z.string(), pending: z.array(z.string()).optional() }),
        },
      },
    },
    async (_request, reply) => {
      const database = app.services.database;
      try {
        await sql`select 1`.execute(database.db);
        const status = await migrationStatus(database);
        if (status.pending.length > 0) return reply.status(503).send({ status: 'not-ready', reason: 'migrations pending', pending: status.pending });
        return { status: 'ready' as const, engine: database.engine };
      } catch (error) {
        return reply.status(503).send({ status: 'not-ready', reason: error instanceof Error ? error.message : 'database unreachable' });
      }
    },
  );
}
