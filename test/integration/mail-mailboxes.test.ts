import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMailboxForRecipients } from '../../src/domain/mail/index.ts';
import { call, createTestApp, factories, unique, type TestApp } from '../support/test-app.ts';

/** Mailboxes through the admin API: what an admin configures and what the intake then matches. */
describe('mailboxes', () => {
  let t: TestApp;
  let adminToken: string;
  let agentToken: string;
  let customerToken: string;
  let supportTeamId: string;
  let billingTeamId: string;

  const IMAP_PASSWORD = 'hunter2-Very-Secret';

  beforeAll(async () => {
    t = await createTestApp();
    const make = factories(t.database);
    adminToken = await make.token(await make.admin());
    agentToken = await make.token(await make.agent());
    const org = await make.organization();
    customerToken = await make.token(await make.contact(org.id));
    const team = async (name: string) => {
      const response = await call(t.app, adminToken, 'POST', '/api/v1/teams', { name: unique(name) });
      expect(response.statusCode, response.body).toBe(201);
      return response.json().id as string;
    };
    supportTeamId = await team('Support');
    billingTeamId = await team('Billing');
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>, token = adminToken) => call(t.app, token, 'POST', '/api/v1/mailboxes', body);
  const address = (local: string) => `${unique(local)}@example.test`.toLowerCase();

  it('an admin adds a mailbox; the IMAP password never comes back', async () => {
    const mailAddress = address('Support');
    const response = await create({
      address: `  ${mailAddress.toUpperCase()} `,
      name: 'Example Support',
      teamId: supportTeamId,
      imapUrl: `imaps://support%40example.test:${IMAP_PASSWORD}@imap.example.test:993/INBOX`,
    });
    expect(response.statusCode, response.body).toBe(201);
    const mailbox = response.json();
    expect(mailbox).toEqual({
      id: expect.any(String),
      address: mailAddress,
      name: 'Example Support',
      teamId: supportTeamId,
      imapUrl: 'imaps://support%40example.test:***@imap.example.test:993/INBOX',
      isActive: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(response.body).not.toContain(IMAP_PASSWORD);

    const list = await call(t.app, adminToken, 'GET', '/api/v1/mailboxes');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toContainEqual(mailbox);
    expect(list.body).not.toContain(IMAP_PASSWORD);
    const one = await call(t.app, adminToken, 'GET', `/api/v1/mailboxes/${mailbox.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(mailbox);

    // The intake still has the real credentials; the audit trail does not.
    expect((await findMailboxForRecipients(t.database.db, [mailAddress]))?.imapUrl).toContain(IMAP_PASSWORD);
    const audit = await t.database.db.selectFrom('audit_events').select(['action', 'changes']).where('subject_id', '=', mailbox.id).execute();
    expect(audit.map((row) => row.action)).toEqual(['mailbox.created']);
    expect(JSON.stringify(audit)).not.toContain(IMAP_PASSWORD);
  });

  it('a mailbox without IMAP receives through the SMTP listener only', async () => {
    const response = await create({ address: address('sales'), teamId: billingTeamId });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ name: '', imapUrl: null, isActive: true, teamId: billingTeamId });
  });

  it('refuses a second mailbox with the same address, whatever its case (409 MAILBOX_ADDRESS_TAKEN)', async () => {
    const mailAddress = address('dup');
    expect((await create({ address: mailAddress, teamId: supportTeamId })).statusCode).toBe(201);
    const again = await create({ address: mailAddress.toUpperCase(), teamId: billingTeamId });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'MAILBOX_ADDRESS_TAKEN', message: expect.any(String) });
  });

  it('refuses an unknown team, an unusable IMAP URL and an address that is not one', async () => {
    const unknownTeam = await create({ address: address('noteam'), teamId: '00000000-0000-4000-8000-000000000000' });
    expect(unknownTeam.statusCode).toBe(422);
    expect(unknownTeam.json().code).toBe('MAILBOX_TEAM_INVALID');
    for (const imapUrl of ['https://user:pass@mail.example.test/INBOX', 'imaps://mail.example.test/INBOX', 'imaps://user@mail.example.test/INBOX']) {
      const badImap = await create({ address: address('badimap'), teamId: supportTeamId, imapUrl });
      expect(badImap.statusCode, imapUrl).toBe(422);
      expect(badImap.json().code).toBe('MAILBOX_IMAP_URL_INVALID');
    }
    const badAddress = await create({ address: 'not-an-address', teamId: supportTeamId });
    expect(badAddress.statusCode).toBe(400);
    expect(badAddress.json().code).toBe('VALIDATION_FAILED');
    const missingTeam = await create({ address: address('team') });
    expect(missingTeam.statusCode).toBe(400);
  });

  it('an admin changes name, team, address, IMAP source and activity; the masked URL sent back keeps the password', async () => {
    const created = (await create({ address: address('edit'), teamId: supportTeamId, imapUrl: `imaps://edit:${IMAP_PASSWORD}@imap.example.test/INBOX` })).json();
    const newAddress = address('edited');
    const patched = await call(t.app, adminToken, 'PATCH', `/api/v1/mailboxes/${created.id}`, {
      name: 'Edited',
      teamId: billingTeamId,
      address: newAddress,
      imapUrl: created.imapUrl.replace('/INBOX', '/Support'),
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ id: created.id, name: 'Edited', teamId: billingTeamId, address: newAddress, imapUrl: 'imaps://edit:***@imap.example.test/Support', isActive: true });
    expect(patched.body).not.toContain(IMAP_PASSWORD);
    const stored = await findMailboxForRecipients(t.database.db, [newAddress]);
    expect(stored?.imapUrl).toBe(`imaps://edit:${IMAP_PASSWORD}@imap.example.test/Support`);

    const newPassword = await call(t.app, adminToken, 'PATCH', `/api/v1/mailboxes/${created.id}`, { imapUrl: 'imaps://edit:changed-password@imap.example.test/Support' });
    expect(newPassword.json().imapUrl).toBe('imaps://edit:***@imap.example.test/Support');
    expect((await findMailboxForRecipients(t.database.db, [newAddress]))?.imapUrl).toContain('changed-password');

    const smtpOnly = await call(t.app, adminToken, 'PATCH', `/api/v1/mailboxes/${created.id}`, { imapUrl: null, isActive: false });
    expect(smtpOnly.statusCode).toBe(200);
    expect(smtpOnly.json()).toMatchObject({ imapUrl: null, isActive: false });
    expect(await findMailboxForRecipients(t.database.db, [newAddress])).toBeUndefined();

    const audit = await t.database.db.selectFrom('audit_events').select(['action', 'changes']).where('subject_id', '=', created.id).orderBy('id').execute();
    expect(audit.map((row) => row.action)).toEqual(['mailbox.created', 'mailbox.updated', 'mailbox.updated', 'mailbox.updated']);
    expect(JSON.stringify(audit)).not.toContain(IMAP_PASSWORD);
    expect(JSON.stringify(audit)).not.toContain('changed-password');
  });

  it('a change to a taken address, an unknown team or a missing mailbox is refused with its code', async () => {
    const first = (await create({ address: address('one'), teamId: supportTeamId })).json();
    const second = (await create({ address: address('two'), teamId: supportTeamId })).json();
    const taken = await call(t.app, adminToken, 'PATCH', `/api/v1/mailboxes/${second.id}`, { address: first.address });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('MAILBOX_ADDRESS_TAKEN');
    const sameAddress = await call(t.app, adminToken, 'PATCH', `/api/v1/mailboxes/${first.id}`, { address: first.address.toUpperCase() });
    expect(sameAddress.statusCode).toBe(200);
    const team = await call(t.app, adminToken, 'PATCH', `/api/v1/mailboxes/${first.id}`, { teamId: '00000000-0000-4000-8000-000000000000' });
    expect(team.json().code).toBe('MAILBOX_TEAM_INVALID');
    const missing = await call(t.app, adminToken, 'PATCH', '/api/v1/mailboxes/00000000-0000-4000-8000-000000000000', { name: 'x' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('MAILBOX_NOT_FOUND');
    expect((await call(t.app, adminToken, 'GET', '/api/v1/mailboxes/00000000-0000-4000-8000-000000000000')).json().code).toBe('MAILBOX_NOT_FOUND');
  });

  it('only admins see or change mailboxes: agents and customers get 403, anonymous callers 401', async () => {
    const mailbox = (await create({ address: address('guarded'), teamId: supportTeamId })).json();
    for (const token of [agentToken, customerToken]) {
      const requests = [
        call(t.app, token, 'GET', '/api/v1/mailboxes'),
        call(t.app, token, 'GET', `/api/v1/mailboxes/${mailbox.id}`),
        call(t.app, token, 'POST', '/api/v1/mailboxes', { address: address('sneaky'), teamId: supportTeamId }),
        call(t.app, token, 'PATCH', `/api/v1/mailboxes/${mailbox.id}`, { isActive: false }),
      ];
      for (const response of await Promise.all(requests)) {
        expect(response.statusCode).toBe(403);
        expect(response.json().code).toBe('FORBIDDEN');
      }
    }
    expect((await call(t.app, null, 'GET', '/api/v1/mailboxes')).statusCode).toBe(401);
    expect((await call(t.app, adminToken, 'GET', `/api/v1/mailboxes/${mailbox.id}`)).json().isActive).toBe(true);
  });

  it('findMailboxForRecipients matches an address in any case and its plus addresses, active mailboxes only', async () => {
    const support = (await create({ address: address('desk'), teamId: supportTeamId })).json();
    const other = (await create({ address: address('other'), teamId: billingTeamId })).json();
    const [local, domain] = support.address.split('@');
    const db = t.database.db;
    expect((await findMailboxForRecipients(db, [support.address.toUpperCase()]))?.id).toBe(support.id);
    expect((await findMailboxForRecipients(db, [`${local}+a1b2c3@${domain}`]))?.id).toBe(support.id);
    expect((await findMailboxForRecipients(db, [`<${local}+case-42@${domain.toUpperCase()}>`]))?.id).toBe(support.id);
    expect(await findMailboxForRecipients(db, [`${local}x@${domain}`])).toBeUndefined();
    expect(await findMailboxForRecipients(db, [`${local}@other.test`, 'nobody@example.test', 'garbage'])).toBeUndefined();
    expect(await findMailboxForRecipients(db, [])).toBeUndefined();
    // The first of our addresses among the recipients decides.
    expect((await findMailboxForRecipients(db, ['someone@else.test', other.address, support.address]))?.id).toBe(other.id);
    await call(t.app, adminToken, 'PATCH', `/api/v1/mailboxes/${other.id}`, { isActive: false });
    expect((await findMailboxForRecipients(db, [other.address, support.address]))?.id).toBe(support.id);
  });

  it('publishes the mailbox endpoints in the OpenAPI document', async () => {
    const document = (await call(t.app, null, 'GET', '/api/openapi.json')).json();
    expect(Object.keys(document.paths['/api/v1/mailboxes']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(document.paths['/api/v1/mailboxes/{id}']).sort()).toEqual(['get', 'patch']);
    expect(document.paths['/api/v1/mailboxes'].post.requestBody.content['application/json'].schema.required).toEqual(['address', 'teamId']);
  });
});
