import type { FastifyInstance } from 'fastify';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey, requestFingerprint } from '../../platform/idempotency.ts';
import { DomainError } from '../../platform/errors.ts';
import { HTTP_ERRORS } from '../error-map.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | null;
  }
}

/** `Idempotency-Key` on any authenticated POST: a retried request returns the first result. */
export function installIdempotency(app: FastifyInstance): void {
  app.decorateRequest('idempotencyKey', null);

  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string' || !request.actor) return;
    if (key.length === 0 || key.length > 200) throw new DomainError('VALIDATION_FAILED', 'Idempotency-Key must be 1 to 200 characters.');
    const path = request.url.split('?')[0]!;
    const fingerprint = requestFingerprint(request.method, request.url, Buffer.isBuffer(request.body) ? request.body.toString('base64') : request.body);
    const claim = await claimIdempotencyKey(app.services.database.db, request.actor.userId, key, request.method, path, fingerprint);
    if (claim.state === 'mismatch') throw new DomainError('IDEMPOTENCY_KEY_REUSED', HTTP_ERRORS.IDEMPOTENCY_KEY_REUSED);
    if (claim.state === 'in-progress') throw new DomainError('IDEMPOTENCY_KEY_IN_PROGRESS', HTTP_ERRORS.IDEMPOTENCY_KEY_IN_PROGRESS);
    if (claim.state === 'replay') {
      reply.header('idempotent-replayed', 'true');
      return reply.status(claim.statusCode).type('application/json').serializer((payload) => JSON.stringify(payload)).send(claim.response);
    }
    request.idempotencyKey = key;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.idempotencyKey;
    if (!key || !request.actor) return payload;
    request.idempotencyKey = null;
    const database = app.services.database.db;
    if (reply.statusCode >= 500) {
      await releaseIdempotencyKey(database, request.actor.userId, key);
      return payload;
    }
    let body: unknown = null;
    try {
      body = typeof payload === 'string' ? JSON.parse(payload) : null;
    } catch {
      body = null;
    }
    await completeIdempotencyKey(database, request.actor.userId, key, reply.statusCode, body);
    return payload;
  });
}
