import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RoutePolicy } from './services.ts';

export const ErrorResponse = z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() });

/** The typed router every route file uses: zod schemas validate requests and responses. */
export function zodRoutes(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

export function policy(value: RoutePolicy): { policy: RoutePolicy } {
  return { policy: value };
}

export const IdParams = z.object({ id: z.uuid() });
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  422: ErrorResponse,
  429: ErrorResponse,
};
