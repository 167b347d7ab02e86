import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/identity/index.ts';
import { createTestApp, factories, unique, type TestApp } from '../support/test-app.ts';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe('magic-link sign-in', () => {
  let t: TestApp;
  let make: ReturnType<typeof factories>;
  let organizationId: string;

  beforeAll(async () => {
    t = await createTestApp();
    make = factories(t.database);
    organizationId = (await make.organization()).id;
  });
  afterAll(() => t.close());

  const request = (email: string, ip = '127.0.0.1') => t.app.inject({ method: 'POST', url: '/api/v1/auth/magic-link', payload: { email }, remoteAddress: ip });
  const consume = (token: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/magic-link/consume', payload: { token } });

  /** The link in the queued e-mail, as the recipient would click it. */
  async function mailedLink(user: User): Promise<{ url: string; token: string; mail: { subject: string; text_body: string; html_body: string; locale: string; kind: string } }> {
    const rows = await t.database.db
      .selectFrom('outbound_mails')
      .select(['subject', 'text_body', 'html_body', 'locale', 'kind', 'to_addresses', 'created_at'])
      .where('kind', '=', 'magic-link')
      .where(sql<boolean>`${user.email.toLowerCase()} = any(to_addresses)`)
      .orderBy('created_at', 'desc')
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    const url = /https?:\/\/\S+\/auth\/magic\/[A-Za-z0-9_%-]+/.exec(rows[0]!.text_body)![0];
    return { url, token: decodeURIComponent(url.split('/auth/magic/')[1]!), mail: rows[0]! };
  }

  it('mails a link that signs the customer in with the same session as a password', async () => {
    const customer = await make.contact(organizationId, { name: 'Camille' });
    const response = await request(customer.email.toUpperCase());
    expect(response.statusCode).toBe(202);
    const { url, token, mail } = await mailedLink(customer);
    expect(url.startsWith(`http://localhost:${t.config.port}/auth/magic/`)).toBe(true);
    expect(mail.subject).toBe('Your sign-in link for Casebook');
    expect(mail.text_body).toContain('Camille');
    expect(mail.text_body).toContain('15 minutes');
    expect(mail.html_body).toContain(url.replace(/&/g, '&amp;'));

    // Only the SHA-256 of the token is stored.
    const stored = await sql<{ token_hash: string }>`select token_hash from magic_links where user_id = ${customer.id}`.execute(t.database.db);
    expect(stored.rows).toEqual([{ token_hash: sha256(token) }]);

    const signedIn = await consume(token);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user).toMatchObject({ id: customer.id, email: customer.email });
    const cookie = signedIn.cookies.find((candidate) => candidate.name === 'cb_session');
    expect(cookie?.httpOnly).toBe(true);
    const csrfToken: string = signedIn.json().csrfToken;
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `cb_session=${cookie!.value}` } });
    expect(me.json()).toMatchObject({ id: customer.id });
    // A cookie-authenticated write works with the returned CSRF token, and not without it.
    const payload = { subject: 'Opened after a magic link', body: 'Hello' };
    const withoutCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { cookie: `cb_session=${cookie!.value}` }, payload });
    expect(withoutCsrf.json().code).toBe('CSRF_TOKEN_INVALID');
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { cookie: `cb_session=${cookie!.value}`, 'x-csrf-token': csrfToken }, payload });
    expect(created.statusCode).toBe(201);
  });

  it('a link works once', async () => {
    const customer = await make.contact(organizationId);
    await request(customer.email);
    const { token } = await mailedLink(customer);
    expect((await consume(token)).statusCode).toBe(200);
    const again = await consume(token);
    expect(again.statusCode).toBe(410);
    expect(again.json().code).toBe('MAGIC_LINK_USED');
    expect(again.cookies.find((candidate) => candidate.name === 'cb_session')).toBeUndefined();
  });

  it('a link expires after 15 minutes', async () => {
    const customer = await make.contact(organizationId);
    await request(customer.email);
    const { token } = await mailedLink(customer);
    const expiry = await sql<{ minutes: number }>`select extract(epoch from expires_at - created_at) / 60 as minutes from magic_links where token_hash = ${sha256(token)}`.execute(t.database.db);
    expect(Math.round(Number(expiry.rows[0]!.minutes))).toBe(15);
    await sql`update magic_links set expires_at = now() - interval '1 second' where token_hash = ${sha256(token)}`.execute(t.database.db);
    const expired = await consume(token);
    expect(expired.statusCode).toBe(410);
    expect(expired.json().code).toBe('MAGIC_LINK_EXPIRED');
  });

  it('an unknown or malformed token is refused with a stable code', async () => {
    const unknown = await consume('cbm_not-a-real-token');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('MAGIC_LINK_INVALID');
    expect((await consume('')).json().code).toBe('VALIDATION_FAILED');
  });

  it('answers an unknown address exactly like a known one, and mails nothing', async () => {
    const known = await make.contact(organizationId);
    const before = await t.database.db.selectFrom('outbound_mails').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    const nobody = `${unique('nobody')}@customer.test`;
    const forUnknown = await request(nobody);
    const forKnown = await request(known.email);
    expect(forUnknown.statusCode).toBe(202);
    expect(forUnknown.body).toBe(forKnown.body);
    const after = await t.database.db.selectFrom('outbound_mails').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    expect(Number(after.count) - Number(before.count)).toBe(1);
    const toNobody = await sql`select 1 from outbound_mails where ${nobody} = any(to_addresses)`.execute(t.database.db);
    expect(toNobody.rows).toHaveLength(0);
  });

  it('an inactive account gets no link', async () => {
    const customer = await make.contact(organizationId);
    await t.database.db.updateTable('users').set({ is_active: false }).where('id', '=', customer.id).execute();
    expect((await request(customer.email)).statusCode).toBe(202);
    const mails = await sql`select 1 from outbound_mails where ${customer.email.toLowerCase()} = any(to_addresses)`.execute(t.database.db);
    expect(mails.rows).toHaveLength(0);
  });

  it('is rate limited per address, known or not, like password sign-in', async () => {
    const customer = await make.contact(organizationId);
    const nobody = `${unique('nobody')}@customer.test`;
    for (const email of [customer.email, nobody]) {
      for (let attempt = 0; attempt < 5; attempt += 1) expect((await request(email, '10.0.0.9')).statusCode).toBe(202);
      const limited = await request(email, '10.0.0.9');
      expect(limited.statusCode).toBe(429);
      expect(limited.json().code).toBe('AUTH_RATE_LIMITED');
    }
    const sent = await sql`select 1 from outbound_mails where ${customer.email.toLowerCase()} = any(to_addresses)`.execute(t.database.db);
    expect(sent.rows).toHaveLength(5);
    await sql`update magic_link_requests set created_at = now() - interval '16 minutes' where email = ${customer.email.toLowerCase()}`.execute(t.database.db);
    expect((await request(customer.email, '10.0.0.9')).statusCode).toBe(202);
  });

  it('agents can use it too, and the mail follows their language', async () => {
    const agent = await make.agent({ locale: 'fr' });
    await request(agent.email);
    const { token, mail } = await mailedLink(agent);
    expect(mail.locale).toBe('fr');
    expect(mail.subject).toBe('Votre lien de connexion à Casebook');
    expect((await consume(token)).json().user).toMatchObject({ id: agent.id, kind: 'agent' });
  });
});
