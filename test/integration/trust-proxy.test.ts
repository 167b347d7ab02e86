import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, unique, type TestApp } from '../support/test-app.ts';

/** Sign-in throttling counts failures per client address: which address that is depends on CASEBOOK_TRUST_PROXY. */
describe('client address behind a reverse proxy', () => {
  let direct: TestApp;
  let proxied: TestApp;
  beforeAll(async () => {
    direct = await createTestApp();
    proxied = await createTestApp({ CASEBOOK_TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(async () => {
    await direct.close();
    await proxied.close();
  });

  const failOnce = async (t: TestApp) => {
    const email = `${unique('nobody')}@casebook.test`;
    const response = await call(t.app, null, 'POST', '/api/v1/auth/login', { email, password: 'wrong password' }, { 'x-forwarded-for': '203.0.113.9' });
    expect(response.statusCode).toBe(401);
    const row = await t.database.db.selectFrom('login_failures').select('ip').where('email', '=', email).executeTakeFirstOrThrow();
    return row.ip;
  };

  it('by default X-Forwarded-For is ignored: a client cannot choose the address it is throttled under', async () => {
    expect(await failOnce(direct)).toBe('127.0.0.1');
  });

  it('behind a trusted proxy the forwarded client address is the one counted', async () => {
    expect(await failOnce(proxied)).toBe('203.0.113.9');
  });

  it('a malformed setting is refused at boot', async () => {
    const { loadConfig } = await import('../../src/platform/config.ts');
    expect(() => loadConfig({ CASEBOOK_TRUST_PROXY: 'everyone please' })).toThrow(/CASEBOOK_TRUST_PROXY/);
  });
});
