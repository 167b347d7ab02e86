import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundMailHandler, queueMail } from '../../src/domain/mail/index.ts';
import type { OutboxEvent } from '../../src/platform/outbox/outbox.ts';
import { call, createTestApp, type TestApp } from '../support/test-app.ts';
import { mailWorld, rawMail } from './mail-world.ts';

type Listed = { id: string; state: string; fromAddress: string | null; subject: string | null; receivedAt: string; ticketId: string | null; outcome: Record<string, unknown> };

describe('admins see and act on inbound mail that opened no case, and on bouncing addresses', () => {
  let t: TestApp;
  let world: Awaited<ReturnType<typeof mailWorld>>;
  let adminToken: string;
  let customerToken: string;
  const limited = { mailRateLimit: { count: 1, windowSeconds: 600 } };

  beforeAll(async () => {
    t = await createTestApp();
    world = await mailWorld(t);
    adminToken = await world.make.token(await world.make.admin());
    const organization = await world.make.organization();
    customerToken = await world.make.token(await world.make.contact(organization.id));
  });
  afterAll(() => t.close());

  it('lists the rate-limited mail to admins only, newest first, with its decoded subject and no raw bytes', async () => {
    await world.deliver(rawMail({ from: 'Flood <flood@flood-sender.test>', subject: 'First question' }), { config: limited });
    const held = await world.deliver(rawMail({ from: 'Flood <flood@flood-sender.test>', subject: '=?UTF-8?Q?Caf=C3=A9_machine_broken?=' }), { config: limited });
    expect(held.result.state).toBe('rate-limited');

    const listed = await call(t.app, adminToken, 'GET', '/api/v1/mail/inbound');
    expect(listed.statusCode).toBe(200);
    const items = listed.json().items as Listed[];
    expect(items.map((item) => item.id)).toEqual([held.id]);
    expect(items[0]).toMatchObject({ state: 'rate-limited', fromAddress: 'flood@flood-sender.test', subject: 'Café machine broken', ticketId: null, outcome: { action: 'rate-limited' } });
    expect(listed.body).not.toContain('raw');

    const processed = await call(t.app, adminToken, 'GET', '/api/v1/mail/inbound?state=processed,rate-limited&limit=5');
    expect((processed.json().items as Listed[]).map((item) => [item.state, item.subject])).toEqual([
      ['rate-limited', 'Café machine broken'],
      ['processed', 'First question'],
    ]);
    expect((await call(t.app, adminToken, 'GET', '/api/v1/mail/inbound?state=bogus')).statusCode).toBe(400);

    for (const token of [world.agentToken, customerToken]) {
      expect((await call(t.app, token, 'GET', '/api/v1/mail/inbound')).statusCode).toBe(403);
      expect((await call(t.app, token, 'POST', `/api/v1/mail/inbound/${held.id}/release`)).statusCode).toBe(403);
      expect((await call(t.app, token, 'GET', '/api/v1/mail/address-flags')).statusCode).toBe(403);
    }
    expect((await call(t.app, null, 'GET', '/api/v1/mail/inbound')).statusCode).toBe(401);
  });

  it('releases a rate-limited mail: it becomes a case although the sender is still over the limit', async () => {
    const first = await world.deliver(rawMail({ from: 'burst@burst-sender.test', subject: 'Printer on fire' }), { config: limited });
    const second = await world.deliver(rawMail({ from: 'burst@burst-sender.test', subject: 'Printer still on fire' }), { config: limited });
    expect([first.result.state, second.result.state]).toEqual(['processed', 'rate-limited']);
    const casesBefore = await world.ticketCount();

    const released = await call(t.app, adminToken, 'POST', `/api/v1/mail/inbound/${second.id}/release`);
    expect(released.statusCode).toBe(200);
    expect(released.json()).toEqual({ id: second.id, state: 'received' });
    expect((await world.inbound(second.id)).state).toBe('received');

    // The outbox carries the release; the intake handler runs it with the same low limit.
    const event = await t.database.db
      .selectFrom('outbox')
      .select(['id', 'topic', 'payload', 'attempts'])
      .where('topic', '=', 'mail.received')
      .where('processed_at', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(event.payload).toEqual({ inboundMailId: second.id, released: true });
    await inboundMailHandler({ database: t.database, files: t.files, config: { ...t.config, ...limited } }).handle(event as unknown as OutboxEvent);

    const row = await world.inbound(second.id);
    expect(row).toMatchObject({ state: 'processed', outcome: { action: 'created', released: true } });
    expect(await world.ticketCount()).toBe(casesBefore + 1);
    const { ticket } = await world.caseOf(row.ticket_id!);
    expect(ticket.subject).toBe('Printer still on fire');

    // Still over the limit for any new mail that was not released.
    const third = await world.deliver(rawMail({ from: 'burst@burst-sender.test', subject: 'Third' }), { config: limited });
    expect(third.result.state).toBe('rate-limited');

    const audit = await t.database.db.selectFrom('audit_events').select(['action', 'actor_id']).where('subject_type', '=', 'inbound_mail').where('subject_id', '=', second.id).execute();
    expect(audit.map((entry) => entry.action)).toEqual(['inbound_mail.released']);
  });

  it('refuses to release a processed mail (409) and an unknown one (404)', async () => {
    const done = await world.deliver(rawMail({ from: 'calm@calm-sender.test', subject: 'A normal question' }));
    expect(done.result.state).toBe('processed');
    const refused = await call(t.app, adminToken, 'POST', `/api/v1/mail/inbound/${done.id}/release`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('INBOUND_MAIL_NOT_RELEASABLE');
    expect((await world.inbound(done.id)).state).toBe('processed');
    const unknown = await call(t.app, adminToken, 'POST', '/api/v1/mail/inbound/00000000-0000-4000-8000-000000000000/release');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('INBOUND_MAIL_NOT_FOUND');
  });

  it('unflags a bouncing address: mail held for it is queued again, mail also held for another flagged address stays held', async () => {
    const db = t.database.db;
    await db.insertInto('mail_address_flags').values([
      { address: 'gone@bounce.test', reason: 'bounce', detail: JSON.stringify({ status: '5.1.1' }) },
      { address: 'also-gone@bounce.test', reason: 'bounce' },
    ]).execute();
    const notice = (key: string, to: string[]) =>
      db.transaction().execute((tx) => queueMail(tx, { kind: 'sla-notice', dedupeKey: key, to, locale: 'en', template: 'sla-notice', data: { number: 7, subject: 'Printer', name: 'Gone', clockKind: 'resolution' } }, t.config.mail));
    const alone = await notice('test-unflag-alone', ['gone@bounce.test']);
    const shared = await notice('test-unflag-shared', ['gone@bounce.test', 'also-gone@bounce.test']);
    const stateOf = async (id: string) => (await db.selectFrom('outbound_mails').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
    expect([await stateOf(alone.id), await stateOf(shared.id)]).toEqual(['held', 'held']);

    const flags = await call(t.app, adminToken, 'GET', '/api/v1/mail/address-flags');
    expect(flags.statusCode).toBe(200);
    expect((flags.json().items as { address: string; reason: string }[]).map((flag) => flag.address).sort()).toEqual(['also-gone@bounce.test', 'gone@bounce.test']);

    expect((await call(t.app, world.agentToken, 'DELETE', '/api/v1/mail/address-flags/gone@bounce.test')).statusCode).toBe(403);
    const unflagged = await call(t.app, adminToken, 'DELETE', `/api/v1/mail/address-flags/${encodeURIComponent('GONE@bounce.test')}`);
    expect(unflagged.statusCode, unflagged.body).toBe(200);
    expect(unflagged.json()).toEqual({ address: 'gone@bounce.test', requeuedMailIds: [alone.id] });
    expect([await stateOf(alone.id), await stateOf(shared.id)]).toEqual(['queued', 'held']);

    const after = await call(t.app, adminToken, 'GET', '/api/v1/mail/address-flags');
    expect((after.json().items as { address: string }[]).map((flag) => flag.address)).toEqual(['also-gone@bounce.test']);
    const again = await call(t.app, adminToken, 'DELETE', '/api/v1/mail/address-flags/gone@bounce.test');
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('MAIL_ADDRESS_FLAG_NOT_FOUND');
    const audit = await db.selectFrom('audit_events').select(['action', 'changes']).where('subject_type', '=', 'mail_address').execute();
    expect(audit).toMatchObject([{ action: 'mail_address.unflagged', changes: { address: 'gone@bounce.test', requeuedMailIds: [alone.id] } }]);
  });
});
