import { existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HTTP_ERRORS } from '../error-map.ts';

/** Where `vite build` writes the web app (web/dist at the repository root). */
export const WEB_DIST_DIR = resolve(fileURLToPath(new URL('../../../web/dist', import.meta.url)));

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Serves the built React app: files under web/dist (hashed assets cached for a year, immutable),
 * and index.html for every other GET outside /api so the client-side router can take the path.
 * Without a build the server still answers, with a page saying how to build the app.
 */
export async function installWebAssets(app: FastifyInstance, distDir: string = WEB_DIST_DIR): Promise<void> {
  const hasBuild = existsSync(resolve(distDir, 'index.html'));
  if (hasBuild) await app.register(fastifyStatic, { root: distDir, serve: false });

  const sendIndex = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });

  app.get('/*', { config: { policy: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const path = decodeURIComponent(request.url.split('?')[0] ?? '/');
    if (path === '/api' || path.startsWith('/api/')) {
      return reply.status(404).send({ code: 'ROUTE_NOT_FOUND', message: `${HTTP_ERRORS.ROUTE_NOT_FOUND} ${request.method} ${path}` });
    }
    if (!hasBuild) {
      return reply.status(503).type('text/plain; charset=utf-8').send('The Casebook web app is not built yet: run `npm run web:build` (npm start builds it).');
    }
    const file = resolve(distDir, `.${path}`);
    const isInside = file.startsWith(distDir + sep);
    if (isInside && path !== '/index.html' && isFile(file)) {
      const isHashed = path.startsWith('/assets/');
      return reply.sendFile(path.slice(1), isHashed ? { maxAge: ONE_YEAR_MS, immutable: true } : { maxAge: 0 });
    }
    // Unknown files with an extension are real 404s; everything else is an app route.
    if (/\.[a-z0-9]+$/i.test(path)) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    return sendIndex(reply);
  });
}
