import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Calendar, createCalendar, CreateCalendarInput, createPlan, CreatePlanInput, getCalendar, getPlan, importHolidays, ImportHolidaysInput, listCalendars, listPlans, Plan, updateCalendar, UpdateCalendarInput, updatePlan, UpdatePlanInput } from '../../../domain/plans/index.ts';
import { requireActor } from '../../plugins/auth.ts';
import { errorResponses, IdParams, policy, zodRoutes } from '../../route.ts';

export function registerPlanRoutes(app: FastifyInstance): void {
  const routes = zodRoutes(app);
  const db = () => app.services.database.db;
  routes.get('/api/v1/plans', { config: policy('agent'), schema: { tags: ['plans'], summary: 'Support plans (entitlements)', response: { 200: z.object({ items: z.array(Plan) }), ...errorResponses } } }, async (request) => ({
    items: await listPlans(db(), requireActor(request)),
  }));
  routes.post(
    '/api/v1/plans',
    { config: policy('admin'), schema: { tags: ['plans'], body: CreatePlanInput, response: { 201: Plan, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await createPlan(db(), requireActor(request), request.body)),
  );
  routes.get('/api/v1/plans/:id', { config: policy('agent'), schema: { tags: ['plans'], params: IdParams, response: { 200: Plan, ...errorResponses } } }, async (request) =>
    getPlan(db(), requireActor(request), request.params.id),
  );
  routes.patch(
    '/api/v1/plans/:id',
    { config: policy('admin'), schema: { tags: ['plans'], params: IdParams, body: UpdatePlanInput, response: { 200: Plan, ...errorResponses } } },
    async (request) => updatePlan(db(), requireActor(request), request.params.id, request.body),
  );
  routes.get('/api/v1/calendars', { config: policy('agent'), schema: { tags: ['plans'], summary: 'Business calendars', response: { 200: z.object({ items: z.array(Calendar) }), ...errorResponses } } }, async (request) => ({
    items: await listCalendars(db(), requireActor(request)),
  }));
  routes.post(
    '/api/v1/calendars',
    { config: policy('admin'), schema: { tags: ['plans'], summary: 'Create a calendar (weekly hours, holidays, optional .ics import)', body: CreateCalendarInput, response: { 201: Calendar, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await createCalendar(db(), requireActor(request), request.body)),
  );
  routes.get('/api/v1/calendars/:id', { config: policy('agent'), schema: { tags: ['plans'], params: IdParams, response: { 200: Calendar, ...errorResponses } } }, async (request) =>
    getCalendar(db(), requireActor(request), request.params.id),
  );
  routes.patch(
    '/api/v1/calendars/:id',
    {
      config: policy('admin'),
      schema: { tags: ['plans'], summary: 'Rename a calendar or replace its time zone, weekly hours or holidays (open cases are recomputed)', params: IdParams, body: UpdateCalendarInput, response: { 200: Calendar, ...errorResponses } },
    },
    async (request) => updateCalendar(db(), requireActor(request), request.params.id, request.body),
  );
  routes.post(
    '/api/v1/calendars/:id/holidays/import',
    {
      config: policy('admin'),
      schema: { tags: ['plans'], summary: 'Merge the holidays of an iCalendar (.ics) file into a calendar (RRULE expanded)', params: IdParams, body: ImportHolidaysInput, response: { 200: Calendar, ...errorResponses } },
    },
    async (request) => importHolidays(db(), requireActor(request), request.params.id, request.body),
  );
}
