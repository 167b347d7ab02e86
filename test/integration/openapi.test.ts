import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../support/test-app.ts';

/** The stable API surface: clients are generated from these paths. */
const STABLE_PATHS = [
  '/api/v1/organizations',
  '/api/v1/organizations/{id}',
  '/api/v1/organizations/{id}/environment',
  '/api/v1/users',
  '/api/v1/users/{id}',
  '/api/v1/me',
  '/api/v1/teams',
  '/api/v1/tickets',
  '/api/v1/tickets/{id}',
  '/api/v1/tickets/{id}/messages',
  '/api/v1/tickets/{id}/timeline',
  '/api/v1/tickets/{id}/links',
  '/api/v1/tickets/{id}/merge',
];

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; enum?: string[]; anyOf?: Schema[]; items?: Schema };
type Operation = { requestBody?: { content: Record<string, { schema: Schema }> }; parameters?: { name: string; in: string; required?: boolean }[]; responses?: Record<string, unknown> };
type OpenApiDocument = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, Operation>> };

describe('the published API description', () => {
  let t: TestApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    t = await createTestApp();
    const response = await call(t.app, null, 'GET', '/api/openapi.json');
    expect(response.statusCode).toBe(200);
    document = response.json();
  });
  afterAll(() => t.close());

  const bodyOf = (path: string, method: string): Schema => {
    const operation = document.paths[path]?.[method];
    expect(operation, `${method.toUpperCase()} ${path}`).toBeDefined();
    return operation!.requestBody!.content['application/json']!.schema;
  };

  it('is an OpenAPI 3 document that anyone may fetch', () => {
    expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(document.info).toMatchObject({ title: 'Casebook API', version: '1' });
  });

  it('contains every path of the stable API surface', () => {
    const missing = STABLE_PATHS.filter((path) => !(path in document.paths));
    expect(missing).toEqual([]);
    expect(Object.keys(document.paths).filter((path) => path.includes(':'))).toEqual([]);
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/api/internal') || path === '/healthz')).toEqual([]);
  });

  it('describes the main operations of each path', () => {
    const methods = (path: string) => Object.keys(document.paths[path] ?? {}).sort();
    expect(methods('/api/v1/tickets')).toEqual(expect.arrayContaining(['get', 'post']));
    expect(methods('/api/v1/tickets/{id}')).toEqual(expect.arrayContaining(['get', 'patch']));
    expect(methods('/api/v1/organizations/{id}/environment')).toEqual(expect.arrayContaining(['get', 'put']));
    expect(methods('/api/v1/tickets/{id}/merge')).toEqual(['post']);
    const idParameter = document.paths['/api/v1/tickets/{id}']!.get!.parameters!.find((parameter) => parameter.name === 'id');
    expect(idParameter).toMatchObject({ in: 'path', required: true });
  });

  it('generates request bodies from the zod schemas: POST /api/v1/tickets needs subject and knows priorities P1..P4', () => {
    const body = bodyOf('/api/v1/tickets', 'post');
    expect(body.type).toBe('object');
    expect(body.required).toEqual(['subject']);
    expect(body.properties!.priority!.enum).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(Object.keys(body.properties!)).toEqual(expect.arrayContaining(['subject', 'body', 'requesterId', 'organizationId', 'priority', 'tags', 'attachmentIds']));
  });

  it('describes the other write bodies too', () => {
    const patch = bodyOf('/api/v1/tickets/{id}', 'patch');
    expect(patch.required ?? []).toEqual([]);
    expect(patch.properties!.status!.enum).toEqual(['new', 'open', 'pending-customer', 'pending-vendor', 'on-hold', 'solved', 'closed']);
    const message = bodyOf('/api/v1/tickets/{id}/messages', 'post');
    expect(message.required).toEqual(['body']);
    expect(message.properties!.internal!.type).toBe('boolean');
    const user = bodyOf('/api/v1/users', 'post');
    expect([...(user.required ?? [])].sort()).toEqual(['email', 'name', 'roles']);
    expect(user.properties!.roles!.items!.enum).toEqual(expect.arrayContaining(['agent', 'tam', 'customer', 'customer-admin']));
    expect(bodyOf('/api/v1/organizations', 'post').required).toEqual(['name']);
    expect(bodyOf('/api/v1/tickets/{id}/merge', 'post').required).toEqual(['targetId']);
  });

  it('serves the interactive documentation at /api/docs', async () => {
    const response = await call(t.app, null, 'GET', '/api/docs');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toMatch(/<html/i);
    expect(response.body).toContain('swagger');
  });

  it('answers health and readiness probes', async () => {
    const health = await call(t.app, null, 'GET', '/healthz');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await call(t.app, null, 'GET', '/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready' });
    expect(ready.json().engine).toBe(t.database.engine);
  });
});
