import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS_ERRORS } from '../../src/domain/accounts/index.ts';
import { IDENTITY_ERRORS } from '../../src/domain/identity/index.ts';
import { TICKETS_ERRORS } from '../../src/domain/tickets/index.ts';
import { ERROR_MESSAGES, ERROR_STATUS, HTTP_ERRORS } from '../../src/http/error-map.ts';
import { call, createTestApp, factories, type TestApp } from '../support/test-app.ts';

describe('bad input gets a 4xx with a stable code, and the server keeps serving', () => {
  let t: TestApp;
  let agentToken: string;
  let contactId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const make = factories(t.database);
    const org = await make.organization();
    contactId = (await make.contact(org.id)).id;
    agentToken = await make.token(await make.agent());
  });
  afterAll(() => t.close());

  const raw = (payload: string | Buffer, contentType = 'application/json', url = '/api/v1/tickets') =>
    t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${agentToken}`, 'content-type': contentType }, payload });

  /** Every error leaves as { code, message } with a human message. */
  function expectError(response: { statusCode: number; json(): { code: string; message: string } }, status: number, code: string) {
    expect(response.statusCode).toBe(status);
    const body = response.json();
    expect(body.code).toBe(code);
    expect(typeof body.message).toBe('string');
    expect(body.message.length).toBeGreaterThan(0);
    return body;
  }

  it('malformed JSON is 400 INVALID_JSON', async () => {
    expectError(await raw('{"subject": "half'), 400, 'INVALID_JSON');
    expectError(await raw(''), 400, 'INVALID_JSON');
  });

  it('a NUL character anywhere in a JSON body is 400 VALIDATION_FAILED (PostgreSQL text cannot hold it), not a 500', async () => {
    expectError(await raw(JSON.stringify({ subject: 'Broken \u0000 subject', requesterId: contactId })), 400, 'VALIDATION_FAILED');
    expectError(await raw(JSON.stringify({ subject: 'Fine', body: 'a\u0000b', requesterId: contactId, tags: ['x'] })), 400, 'VALIDATION_FAILED');
    expect((await raw(JSON.stringify({ subject: 'No NUL here: \\u0000 is only text', requesterId: contactId }))).statusCode).toBe(201);
  });

  it('an unknown field is 400 VALIDATION_FAILED and the message names the field', async () => {
    const body = expectError(await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'x', requesterId: contactId, colour: 'red' }), 400, 'VALIDATION_FAILED');
    expect(body.message).toContain('colour');
  });

  it('a missing required field is 400 VALIDATION_FAILED naming the field', async () => {
    const body = expectError(await call(t.app, agentToken, 'POST', '/api/v1/tickets', { requesterId: contactId }), 400, 'VALIDATION_FAILED');
    expect(body.message).toContain('subject');
  });

  it('a body over 1 MiB is 413 PAYLOAD_TOO_LARGE', async () => {
    const huge = JSON.stringify({ subject: 'big', requesterId: contactId, body: 'x'.repeat(1024 * 1024 + 10) });
    expectError(await raw(huge), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('a priority outside P1..P4 is 400 VALIDATION_FAILED', async () => {
    const body = expectError(await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'x', requesterId: contactId, priority: 'P9' }), 400, 'VALIDATION_FAILED');
    expect(body.message).toContain('priority');
  });

  it('a malformed id in the path is 400 VALIDATION_FAILED, not a 500', async () => {
    for (const url of ['/api/v1/tickets/not-a-uuid', '/api/v1/tickets/1/messages', '/api/v1/organizations/%27%3B--', '/api/v1/users/00000000-0000-0000-0000']) {
      expectError(await call(t.app, agentToken, 'GET', url), 400, 'VALIDATION_FAILED');
    }
    expectError(await call(t.app, agentToken, 'PATCH', '/api/v1/tickets/not-a-uuid', { priority: 'P1' }), 400, 'VALIDATION_FAILED');
  });

  it('a well-formed id of nothing is 404 with the context code', async () => {
    expectError(await call(t.app, agentToken, 'GET', '/api/v1/tickets/00000000-0000-4000-8000-000000000000'), 404, 'TICKET_NOT_FOUND');
  });

  it('an illegal status change is 409 TICKET_TRANSITION_INVALID', async () => {
    const ticket = (await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Transition', requesterId: contactId })).json();
    await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'solved' });
    await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'closed' });
    expectError(await call(t.app, agentToken, 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'pending-vendor' }), 409, 'TICKET_TRANSITION_INVALID');
  });

  it('an unknown route is 404 ROUTE_NOT_FOUND', async () => {
    const body = expectError(await call(t.app, agentToken, 'GET', '/api/v1/nothing-here'), 404, 'ROUTE_NOT_FOUND');
    expect(body.message).toContain('/api/v1/nothing-here');
    expectError(await call(t.app, null, 'DELETE', '/api/v1/tickets'), 404, 'ROUTE_NOT_FOUND');
  });

  it('a JSON route sent another content type is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const payload = JSON.stringify({ subject: 'typed', requesterId: contactId });
    expectError(await raw(payload, 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await raw('subject=typed', 'application/x-www-form-urlencoded'), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('too many tags, or a malformed tag, is 400 VALIDATION_FAILED', async () => {
    const tags = Array.from({ length: 5000 }, (_, index) => `tag-${index}`);
    const body = expectError(await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'tags', requesterId: contactId, tags }), 400, 'VALIDATION_FAILED');
    expect(body.message).toContain('tags');
    expectError(await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'tags', requesterId: contactId, tags: ['no spaces allowed'] }), 400, 'VALIDATION_FAILED');
  });

  it('a bad query string is 400 VALIDATION_FAILED', async () => {
    expectError(await call(t.app, agentToken, 'GET', '/api/v1/tickets?limit=100000'), 400, 'VALIDATION_FAILED');
    expectError(await call(t.app, agentToken, 'GET', '/api/v1/tickets?view=everything'), 400, 'VALIDATION_FAILED');
  });

  it('after all of that the server is healthy and still answers', async () => {
    const health = await call(t.app, null, 'GET', '/healthz');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const created = await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Still working', requesterId: contactId });
    expect(created.statusCode).toBe(201);
  });
});

describe('the error map', () => {
  it('gives every code with a status a message', () => {
    for (const code of Object.keys(ERROR_STATUS)) {
      const message = (ERROR_MESSAGES as Record<string, string | undefined>)[code];
      expect(typeof message === 'string' && message.length > 0, `${code} has a message`).toBe(true);
    }
  });

  it('gives every code a context or the HTTP layer declares a status, 4xx or 5xx', () => {
    const declared = { ...HTTP_ERRORS, ...IDENTITY_ERRORS, ...ACCOUNTS_ERRORS, ...TICKETS_ERRORS };
    const missing = Object.keys(declared).filter((code) => !(code in ERROR_STATUS));
    expect(missing).toEqual([]);
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(status >= 400 && status < 600, `${code} → ${status}`).toBe(true);
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    }
  });

  it('keeps codes unique across contexts so a code means one thing', () => {
    const sources = [HTTP_ERRORS, IDENTITY_ERRORS, ACCOUNTS_ERRORS, TICKETS_ERRORS].map((errors) => Object.keys(errors));
    const all = sources.flat();
    expect(all.length).toBe(new Set(all).size);
  });
});
