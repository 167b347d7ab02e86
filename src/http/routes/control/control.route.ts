import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { policy, zodRoutes } from '../../route.ts';

/**
 * The embedded database admits one process. CLI commands run while `npm start` holds the data
 * directory are sent here (authenticated by the control token in the data dir, readable only by
 * its owner) and run inside the server process; their output streams back line by line.
 */
export function registerControlRoute(app: FastifyInstance): void {
  zodRoutes(app).post(
    '/api/internal/control',
    { config: policy('control'), schema: { hide: true, body: z.object({ argv: z.array(z.string().max(10_000)).max(100), cwd: z.string().max(4096) }).strict() } },
    async (request, reply) => {
      const run = app.services.runControlCommand;
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      if (!run) {
        response.end('error: this server does not accept control commands\n\u0000exit:1\n');
        return;
      }
      const exitCode = await run(request.body.argv, request.body.cwd, (line) => response.write(`${line}\n`)).catch((error: unknown) => {
        response.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
        return 1;
      });
      response.end(`\u0000exit:${exitCode}\n`);
    },
  );
}
