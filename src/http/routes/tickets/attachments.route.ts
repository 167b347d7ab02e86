import type { FastifyInstance } from 'fastify';
import { Attachment, readAttachment, uploadAttachment, UploadAttachmentQuery } from '../../../domain/tickets/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

/**
 * Upload: the raw bytes as the body, the type in Content-Type, the name in ?filename=. The file
 * joins a case when a message (or a new case) lists it in attachmentIds.
 */
export function registerAttachmentRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const { config, database, files } = app.services;
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: config.maxAttachmentBytes }, (_request, body, done) => done(null, body));
    zodRoutes(scope).post(
      '/api/v1/attachments',
      {
        config: policy('authenticated'),
        bodyLimit: config.maxAttachmentBytes,
        schema: { tags: ['attachments'], summary: 'Upload a file (raw body)', querystring: UploadAttachmentQuery, response: { 201: Attachment, ...errorResponses } },
      },
      async (request, reply) => {
        const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const attachment = await uploadAttachment(database.db, files, requireActor(request), {
          filename: request.query.filename,
          contentType: request.headers['content-type'] ?? 'application/octet-stream',
          bytes,
          maxBytes: config.maxAttachmentBytes,
        });
        return reply.status(201).send(attachment);
      },
    );
  });
  routes.get(
    '/api/v1/attachments/:id',
    { config: policy('authenticated'), schema: { tags: ['attachments'], summary: 'Download a file (safe content type)', params: IdParams } },
    async (request, reply) => {
      const file = await readAttachment(database.db, files, requireActor(request), request.params.id);
      const disposition = file.inline ? 'inline' : 'attachment';
      return reply
        .header('content-type', file.contentType)
        .header('content-length', String(file.attachment.size))
        .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(file.attachment.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(file.stream);
    },
  );
}
