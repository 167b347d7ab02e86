import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDomainError } from '../platform/errors.ts';
import { HTTP_ERRORS, statusForCode } from './error-map.ts';

export type ErrorBody = { code: string; message: string; details?: unknown };

/** Every failure leaves as `{ code, message, details? }` with the status from the error map. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const send = (code: keyof typeof HTTP_ERRORS | string, message: string, details?: unknown) =>
      reply.status(statusForCode(code)).send({ code, message, ...(details !== undefined && { details }) } satisfies ErrorBody);

    if (isDomainError(error)) return send(error.code, error.message, error.details);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((issue) => ({ path: issue.instancePath.replace(/^\//, '').replaceAll('/', '.'), message: issue.message ?? 'invalid' }));
      return send('VALIDATION_FAILED', `${HTTP_ERRORS.VALIDATION_FAILED} ${issues.map((issue) => `${issue.path} ${issue.message}`.trim()).join('; ')}`, { issues });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause?.issues }, 'response did not match its schema');
      return send('INTERNAL_ERROR', HTTP_ERRORS.INTERNAL_ERROR);
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send('INVALID_JSON', HTTP_ERRORS.INVALID_JSON);
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send('PAYLOAD_TOO_LARGE', HTTP_ERRORS.PAYLOAD_TOO_LARGE);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return send('UNSUPPORTED_MEDIA_TYPE', HTTP_ERRORS.UNSUPPORTED_MEDIA_TYPE);
    }
    if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) return send('INVALID_JSON', HTTP_ERRORS.INVALID_JSON);
    const pgCode = (error as { code?: string }).code;
    if (pgCode === '23503') return send('REFERENCE_NOT_FOUND', HTTP_ERRORS.REFERENCE_NOT_FOUND);
    if (pgCode === '23505') return send('CONFLICT', HTTP_ERRORS.CONFLICT);
    if (pgCode === '22P02' || pgCode === '22007' || pgCode === '22008') return send('VALIDATION_FAILED', HTTP_ERRORS.VALIDATION_FAILED);
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return send('VALIDATION_FAILED', error.message);
    request.log.error({ err: error }, 'unhandled error');
    return send('INTERNAL_ERROR', HTTP_ERRORS.INTERNAL_ERROR);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ code: 'ROUTE_NOT_FOUND', message: `${HTTP_ERRORS.ROUTE_NOT_FOUND} ${request.method} ${request.url.split('?')[0]}` });
  });
}
