import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../src/domain/accounts/index.ts';
import type { User } from '../../src/domain/identity/index.ts';
import { call, createTestApp, factories, unique, type TestApp } from '../support/test-app.ts';

const PASSWORD = 'correct horse battery staple';
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe('sign-in, sessions and API tokens', () => {
  let t: TestApp;
  let make: ReturnType<typeof factories>;
  let org: Organization;
  let adminToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    make = factories(t.database);
    org = await make.organization();
    adminToken = await make.token(await make.admin());
  });
  afterAll(() => t.close());

  const newContact = () => make.contact(org.id, { email: `${unique('signin')}@customer.test`, password: PASSWORD });
  const login = (email: string, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  /** A request carrying the session cookie (and the CSRF header when given). */
  const withSession = (session: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, csrfToken?: string) =>
    t.app.inject({
      method,
      url,
      headers: { cookie: `cb_session=${session}`, ...(csrfToken && { 'x-csrf-token': csrfToken }) },
      ...(body !== undefined && { payload: body as Record<string, unknown> }),
    });

  async function signIn(user: User): Promise<{ session: string; csrfToken: string }> {
    const response = await login(user.email, PASSWORD);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((candidate) => candidate.name === 'cb_session');
    return { session: cookie!.value, csrfToken: response.json().csrfToken };
  }

  it('a correct password sets an HttpOnly, SameSite=Lax, Secure session cookie on / and returns the CSRF token', async () => {
    const user = await newContact();
    const response = await login(user.email.toUpperCase(), PASSWORD);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user).toMatchObject({ id: user.id, email: user.email });
    expect(body.user).not.toHaveProperty('passwordHash');
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const header = [response.headers['set-cookie']].flat().find((value) => value?.startsWith('cb_session='));
    expect(header).toBeDefined();
    const attributes = header!.split(';').map((part) => part.trim());
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Lax');
    expect(attributes).toContain('Secure');
    expect(attributes).toContain('Path=/');
    const session = response.cookies.find((cookie) => cookie.name === 'cb_session')!.value;
    const me = await withSession(session, 'GET', '/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: user.id, email: user.email });
  });

  it('the database keeps only the hash of a session, never the cookie value', async () => {
    const user = await newContact();
    const { session } = await signIn(user);
    const rows = await t.database.db.selectFrom('sessions').selectAll().where('user_id', '=', user.id).execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(session);
    expect(rows[0]!.id).toBe(sha256(session));
  });

  it('a cookie-authenticated write needs the session CSRF token in X-CSRF-Token', async () => {
    const user = await newContact();
    const { session, csrfToken } = await signIn(user);
    const patchWithout = await withSession(session, 'PATCH', `/api/v1/users/${user.id}`, { locale: 'fr' });
    expect(patchWithout.statusCode).toBe(403);
    expect(patchWithout.json().code).toBe('CSRF_TOKEN_INVALID');
    const patchWrong = await withSession(session, 'PATCH', `/api/v1/users/${user.id}`, { locale: 'fr' }, `${csrfToken.slice(0, -1)}${csrfToken.endsWith('x') ? 'y' : 'x'}`);
    expect(patchWrong.json().code).toBe('CSRF_TOKEN_INVALID');
    const postWithout = await withSession(session, 'POST', '/api/v1/tickets', { subject: 'No CSRF' });
    expect(postWithout.statusCode).toBe(403);
    expect(postWithout.json().code).toBe('CSRF_TOKEN_INVALID');
    expect((await withSession(session, 'GET', `/api/v1/users/${user.id}`)).json().locale).toBe('en');
    const mine = (await withSession(session, 'GET', '/api/v1/tickets?view=all')).json().items;
    expect(mine).toEqual([]);

    const patched = await withSession(session, 'PATCH', `/api/v1/users/${user.id}`, { locale: 'fr' }, csrfToken);
    expect(patched.statusCode).toBe(200);
    expect(patched.json().locale).toBe('fr');
    const posted = await withSession(session, 'POST', '/api/v1/tickets', { subject: 'With CSRF' }, csrfToken);
    expect(posted.statusCode).toBe(201);
    expect(posted.json()).toMatchObject({ subject: 'With CSRF', requesterId: user.id });
  });

  it('a wrong password and an unknown e-mail fail alike with 401 AUTH_INVALID_CREDENTIALS', async () => {
    const user = await newContact();
    const wrong = await login(user.email, 'not the password at all');
    const unknown = await login(`${unique('nobody')}@customer.test`, PASSWORD);
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ code: 'AUTH_INVALID_CREDENTIALS', message: expect.any(String) });
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    expect(wrong.json().message).toBe(unknown.json().message);
  });

  it('after 10 failures for one e-mail within 15 minutes even the right password is 429 AUTH_RATE_LIMITED', async () => {
    const user = await newContact();
    const bystander = await newContact();
    for (let attempt = 1; attempt <= 10; attempt++) {
      const failure = await login(user.email, `wrong password ${attempt}`);
      expect(failure.json().code, `attempt ${attempt}`).toBe('AUTH_INVALID_CREDENTIALS');
    }
    const limited = await login(user.email, PASSWORD);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('AUTH_RATE_LIMITED');
    expect(limited.headers['set-cookie']).toBeUndefined();
    expect((await login(user.email.toUpperCase(), PASSWORD)).statusCode).toBe(429);
    expect((await login(bystander.email, PASSWORD)).statusCode).toBe(200);
    // Failures older than the window no longer count.
    await sql`update login_failures set created_at = now() - interval '16 minutes' where email = ${user.email.toLowerCase()}`.execute(t.database.db);
    expect((await login(user.email, PASSWORD)).statusCode).toBe(200);
  });

  it('logout ends the session: the cookie no longer authenticates', async () => {
    const user = await newContact();
    const { session, csrfToken } = await signIn(user);
    expect((await withSession(session, 'GET', '/api/v1/me')).statusCode).toBe(200);
    const logout = await withSession(session, 'POST', '/api/v1/auth/logout', undefined, csrfToken);
    expect(logout.statusCode).toBe(204);
    const cleared = [logout.headers['set-cookie']].flat().find((value) => value?.startsWith('cb_session='));
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/);
    const after = await withSession(session, 'GET', '/api/v1/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('AUTH_REQUIRED');
    expect(await t.database.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
  });

  it('an unknown or malformed bearer token is 401 AUTH_TOKEN_INVALID', async () => {
    for (const authorization of ['Bearer cbt_not-a-real-token', 'Bearer ', 'Basic dXNlcjpwYXNz']) {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } });
      expect(response.statusCode, authorization).toBe(401);
      expect(response.json().code).toBe('AUTH_TOKEN_INVALID');
    }
    const anonymous = await call(t.app, null, 'GET', '/api/v1/me');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('AUTH_REQUIRED');
  });

  it('the database stores only the SHA-256 of an API token', async () => {
    const user = await newContact();
    const token = await make.token(user);
    expect((await call(t.app, token, 'GET', '/api/v1/me')).json().id).toBe(user.id);
    const rows = await t.database.db.selectFrom('api_tokens').selectAll().where('user_id', '=', user.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(sha256(token));
    const everyToken = JSON.stringify(await t.database.db.selectFrom('api_tokens').selectAll().execute());
    expect(everyToken).not.toContain(token);
    expect(everyToken).not.toContain(token.slice(4));
  });

  it('passwords are stored as argon2id hashes', async () => {
    const user = await newContact();
    const row = await t.database.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('deactivating a user stops their token, their session and their sign-in', async () => {
    const user = await newContact();
    const token = await make.token(user);
    const { session } = await signIn(user);
    expect((await call(t.app, token, 'GET', '/api/v1/me')).statusCode).toBe(200);
    const deactivated = await call(t.app, adminToken, 'PATCH', `/api/v1/users/${user.id}`, { isActive: false });
    expect(deactivated.statusCode).toBe(200);
    expect(deactivated.json().isActive).toBe(false);
    const byToken = await call(t.app, token, 'GET', '/api/v1/me');
    expect(byToken.statusCode).toBe(401);
    expect(byToken.json().code).toBe('AUTH_TOKEN_INVALID');
    expect((await withSession(session, 'GET', '/api/v1/me')).statusCode).toBe(401);
    expect((await login(user.email, PASSWORD)).json().code).toBe('AUTH_INVALID_CREDENTIALS');
  });
});
