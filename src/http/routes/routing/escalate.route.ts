import type { FastifyInstance } from 'fastify';
import { escalateCase, EscalateCaseInput, Escalation } from '../../../domain/routing/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

export function registerEscalationRoutes(app: FastifyInstance): void {
  zodRoutes(app).post(
    '/api/v1/tickets/:id/escalate',
    {
      config: policy('agent'),
      schema: {
        tags: ['routing'],
        summary: 'Escalate a case up the support lines (L1 → L2 → L3) with a reason',
        params: IdParams,
        body: EscalateCaseInput,
        response: { 200: Escalation, ...errorResponses },
      },
    },
    async (request) => escalateCase(app.services.database.db, requireActor(request), request.params.id, request.body),
  );
}
