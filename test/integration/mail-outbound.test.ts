import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSender, type SmtpSender } from '../../src/channels/smtp-sender.ts';
import type { Organization, } from '../../src/domain/accounts/index.ts';
import type { User } from '../../src/domain/identity/index.ts';
import { acceptInboundMail } from '../../src/domain/mail/index.ts';
import { deliverEmailNotifications, notifyUsers } from '../../src/domain/notifications/index.ts';
import { buildEventHandlers } from '../../src/jobs/background.ts';
import { startOutboxProcessor, type OutboxProcessor } from '../../src/platform/outbox/processor.ts';
import { startSmtpSink, type CapturedMail, type SmtpSink } from '../support/smtp-sink.ts';
import { call, createTestApp, factories, type TestApp } from '../support/test-app.ts';

const MAIL_DOMAIN = 'mail.casebook.test';

describe('outbound mail: replies, acknowledgements and notices over real SMTP', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let processor: OutboxProcessor;
  let sender: SmtpSender;
  let make: ReturnType<typeof factories>;
  let organization: Organization;
  let agent: User;
  let agentToken: string;
  let adminToken: string;
  let contact: User;
  let frenchContact: User;

  /** Runs the outbox (events → queued mail) and then one full sending pass. */
  const flush = async () => {
    await processor.drain();
    await sender.runNow(); // a pass already under way may have started before the mail was queued
    await sender.runNow();
  };
  const received = (address: string, from = 0): CapturedMail[] => sink.messages.slice(from).filter((mail) => mail.envelope.to.includes(address));
  const headerOf = (mail: CapturedMail, name: string) => mail.parsed.headers.get(name);
  const referencesOf = (mail: CapturedMail) => [mail.parsed.references ?? []].flat();
  const mailToken = async (ticketId: string) => (await t.database.db.selectFrom('tickets').select('mail_token').where('id', '=', ticketId).executeTakeFirstOrThrow()).mail_token;
  const outboundRows = (ticketId: string) => t.database.db.selectFrom('outbound_mails').selectAll().where('ticket_id', '=', ticketId).orderBy('created_at').execute();
  const openCase = async (requester: User, body: Record<string, unknown> = {}) => {
    const response = await call(t.app, agentToken, 'POST', '/api/v1/tickets', { subject: 'Map tiles are blank', body: 'Since this morning.', requesterId: requester.id, ...body });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; number: number; subject: string };
  };
  const reply = async (ticketId: string, body: string, internal = false) => {
    const response = await call(t.app, agentToken, 'POST', `/api/v1/tickets/${ticketId}/messages`, { body, internal });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string };
  };

  let mail: TestApp['config']['mail'];

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp();
    make = factories(t.database);
    mail = { fromAddress: 'casebook@fallback.test', domain: MAIL_DOMAIN, publicUrl: 'https://support.casebook.test', smtpUrl: sink.url, maxAttempts: 3, retryBaseMs: 3000 };
    await t.database.db.insertInto('mailboxes').values({ address: 'support@example.test', name: 'Example Support' }).execute();
    agent = await make.agent({ name: 'Alice Agent' });
    agentToken = await make.token(agent);
    adminToken = await make.token(await make.admin());
    organization = await make.organization();
    contact = await make.contact(organization.id, { name: 'Nina Customer' });
    frenchContact = await make.contact(organization.id, { name: 'Élodie Client', locale: 'fr' });
    processor = startOutboxProcessor(t.database, buildEventHandlers({ ...t, config: { ...t.config, mail } }, t.realtime), { pollIntervalMs: 60_000 });
    sender = startSmtpSender(t.database.db, { ...mail, intervalMs: 60_000 });
  });
  afterAll(async () => {
    await sender?.stop();
    await processor?.stop();
    await t?.close();
    await sink?.close();
  });

  it('sends an agent’s public reply to the requester, threaded on the customer’s mail, with text and HTML', async () => {
    const ticket = await openCase(contact);
    const token = await mailToken(ticket.id);
    // The customer's original mail, as the inbound side records it.
    await t.database.db.insertInto('mail_message_ids').values({ message_id: 'CAF=original-1@mail.customer.test', ticket_id: ticket.id, direction: 'in' }).execute();
    await flush();
    const before = sink.messages.length;

    const message = await reply(ticket.id, 'Please clear the <b>tile cache</b> & restart.\nThen tell us.');
    await flush();

    const mails = received(contact.email, before);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.parsed.subject).toBe(`[#${ticket.number}] Map tiles are blank`);
    expect(mail.parsed.messageId).toMatch(new RegExp(`^<[A-Za-z0-9]+\\.${token}@${MAIL_DOMAIN.replace(/\./g, '\\.')}>$`));
    expect(mail.parsed.inReplyTo).toBe('<CAF=original-1@mail.customer.test>');
    expect(referencesOf(mail)).toEqual(['<CAF=original-1@mail.customer.test>']);
    expect(mail.parsed.replyTo?.value[0]?.address).toBe(`support+${token}@example.test`);
    expect(mail.parsed.from?.value[0]).toMatchObject({ address: 'support@example.test', name: 'Example Support' });
    expect(headerOf(mail, 'auto-submitted')).toBeUndefined();
    expect(mail.parsed.text).toContain('Please clear the <b>tile cache</b> & restart.\nThen tell us.');
    expect(mail.parsed.text).toContain(`https://support.casebook.test/portal/cases/${ticket.id}`);
    expect(mail.parsed.text).toContain(`Reply to this email to add to case #${ticket.number}`);
    expect(mail.parsed.html).toContain('Please clear the &lt;b&gt;tile cache&lt;/b&gt; &amp; restart.<br>');
    expect(mail.parsed.html).not.toContain('<b>tile cache</b>');

    // Our Message-ID is recorded, so the customer's answer threads back and our next reply follows it.
    const recorded = await t.database.db.selectFrom('mail_message_ids').selectAll().where('ticket_id', '=', ticket.id).where('direction', '=', 'out').execute();
    expect(recorded.map((row) => `<${row.message_id}>`)).toEqual([mail.parsed.messageId]);
    expect(recorded[0]!.message_ref).toBe(message.id);

    await reply(ticket.id, 'Any news?');
    await flush();
    const second = received(contact.email, before)[1]!;
    expect(second.parsed.subject).toBe(`[#${ticket.number}] Map tiles are blank`);
    expect(second.parsed.inReplyTo).toBe(mail.parsed.messageId);
    expect(referencesOf(second)).toEqual(['<CAF=original-1@mail.customer.test>', mail.parsed.messageId]);
  });

  it('mails nobody for an internal note, and replies once per message even when the event is replayed', async () => {
    const ticket = await openCase(contact);
    await flush();
    const before = sink.messages.length;
    await reply(ticket.id, 'Customer seems to run an old build.', true);
    await flush();
    expect(received(contact.email, before)).toHaveLength(0);
    expect(await outboundRows(ticket.id)).toHaveLength(0);

    await reply(ticket.id, 'Fixed in 11.3.1.');
    await flush();
    // Replaying the outbox event (a crash after handling) queues nothing new.
    await t.database.db.updateTable('outbox').set({ processed_at: null, available_at: sql`now()` }).where('topic', '=', 'ticket.message-added').where(sql`payload->>'ticketId'`, '=', ticket.id).execute();
    await flush();
    expect(received(contact.email, before)).toHaveLength(1);
    expect(await outboundRows(ticket.id)).toHaveLength(1);
  });

  it('sends CC’d participants their own copy of a public reply, in their language', async () => {
    const ticket = await openCase(contact);
    await t.database.db
      .insertInto('ticket_participants')
      .values([{ ticket_id: ticket.id, email: 'boss@customer.test' }, { ticket_id: ticket.id, email: frenchContact.email, user_id: frenchContact.id }])
      .execute();
    await flush();
    const before = sink.messages.length;
    await reply(ticket.id, 'Looping in everyone.');
    await flush();
    expect(received(contact.email, before)).toHaveLength(1);
    const [boss] = received('boss@customer.test', before);
    expect(boss?.parsed.subject).toBe(`[#${ticket.number}] Map tiles are blank`);
    expect(boss?.parsed.text).toContain('Looping in everyone.');
    const [french] = received(frenchContact.email, before);
    expect(french?.parsed.text).toContain('Répondez à cet e-mail');
    expect(new Set([boss, french].map((mail) => mail?.parsed.messageId)).size).toBe(2);
  });

  it('writes to a French contact in French', async () => {
    const ticket = await openCase(frenchContact, { subject: 'Les tuiles sont vides' });
    await flush();
    const before = sink.messages.length;
    await reply(ticket.id, 'Pouvez-vous vider le cache ?');
    await flush();
    const [mail] = received(frenchContact.email, before);
    expect(mail?.parsed.subject).toBe(`[#${ticket.number}] Les tuiles sont vides`);
    expect(mail?.parsed.text).toContain(`Répondez à cet e-mail pour compléter le dossier n° ${ticket.number}`);
    expect(mail?.parsed.text).toContain('— Alice Agent');
    expect(mail?.parsed.html).toContain('<html lang="fr">');
  });

  it('retries after a temporary 451 and delivers exactly once, under the same Message-ID', async () => {
    const ticket = await openCase(contact);
    await flush();
    const before = sink.messages.length;
    sink.rejectNext(1, 451);
    await reply(ticket.id, 'Retry me.');
    await flush();
    expect(received(contact.email, before)).toHaveLength(0);
    const [failed] = await outboundRows(ticket.id);
    expect(failed).toMatchObject({ state: 'queued', attempts: 1 });
    expect(failed!.last_error).toContain('451');

    expect(new Date(failed!.next_attempt_at).getTime()).toBeGreaterThan(new Date(failed!.created_at).getTime() + 2000); // backed off (3 s in this test)
    await new Promise((resolve) => setTimeout(resolve, 3100));
    await flush();
    await flush();
    const mails = received(contact.email, before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.messageId).toBe(`<${failed!.message_id}>`);
    const [sent] = await outboundRows(ticket.id);
    expect(sent).toMatchObject({ state: 'sent', attempts: 2 });
    expect(sent!.sent_at).not.toBeNull();
  });

  it('makes a mail refused with 550 dead at once, lists it for admins and sends it after a retry', async () => {
    const ticket = await openCase(contact);
    await flush();
    const before = sink.messages.length;
    sink.rejectNext(1, 550);
    await reply(ticket.id, 'This one bounces.');
    await flush();
    const [dead] = await outboundRows(ticket.id);
    expect(dead).toMatchObject({ state: 'dead', attempts: 1 });

    expect((await call(t.app, agentToken, 'GET', '/api/v1/mail/outbound?state=dead')).statusCode).toBe(403);
    const listed = await call(t.app, adminToken, 'GET', '/api/v1/mail/outbound?state=dead');
    expect(listed.statusCode).toBe(200);
    const item = (listed.json().items as { id: string; to: string[]; subject: string; attempts: number; lastError: string; state: string }[]).find((row) => row.id === dead!.id);
    expect(item).toMatchObject({ state: 'dead', to: [contact.email], subject: `[#${ticket.number}] Map tiles are blank`, attempts: 1 });
    expect(item!.lastError).toContain('550');

    const retried = await call(t.app, adminToken, 'POST', `/api/v1/mail/outbound/${dead!.id}/retry`, {});
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ state: 'queued', attempts: 0 });
    await flush();
    const mails = received(contact.email, before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.messageId).toBe(`<${dead!.message_id}>`);
    const again = await call(t.app, adminToken, 'POST', `/api/v1/mail/outbound/${dead!.id}/retry`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('OUTBOUND_MAIL_NOT_RETRYABLE');
    expect((await call(t.app, adminToken, 'POST', '/api/v1/mail/outbound/00000000-0000-4000-8000-000000000000/retry', {})).statusCode).toBe(404);
  });

  it('acknowledges a case opened by e-mail with an automatic mail (Auto-Submitted), never one opened otherwise', async () => {
    const before = sink.messages.length;
    const byMail = await openCase(contact, { subject: 'Printer on fire', channel: 'email' });
    const byApi = await openCase(contact, { subject: 'Question about licences' });
    await flush();
    const mails = received(contact.email, before);
    expect(mails.map((mail) => mail.parsed.subject)).toEqual([`[#${byMail.number}] Printer on fire`]);
    const ack = mails[0]!;
    expect(headerOf(ack, 'auto-submitted')).toBe('auto-replied');
    expect(headerOf(ack, 'x-auto-response-suppress')).toBe('All');
    expect(ack.parsed.text).toContain(`opened case #${byMail.number}`);
    expect(ack.parsed.replyTo?.value[0]?.address).toBe(`support+${await mailToken(byMail.id)}@example.test`);
    expect(await outboundRows(byApi.id)).toHaveLength(0);
  });

  it('acknowledges a mail from a person, but not one that came through a list (Precedence: bulk, List-Id)', async () => {
    const mailFrom = async (subject: string, extra: string[]) => {
      const raw = [`From: Customer <${contact.email}>`, 'To: support@example.test', `Subject: ${subject}`, `Message-ID: <${subject.replace(/\W/g, '')}.${Date.now()}@customer.test>`, ...extra, '', 'Hello, the export fails.', ''].join('\r\n');
      const stored = await acceptInboundMail(t.database.db, { raw: Buffer.from(raw), source: 'api' });
      await flush();
      const row = await t.database.db.selectFrom('inbound_mails').select(['ticket_id', 'state']).where('id', '=', stored.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ state: 'processed' });
      return row.ticket_id!;
    };
    const person = await mailFrom('Export fails', []);
    const list = await mailFrom('Export fails for the list', ['Precedence: bulk', 'List-Id: <users.lists.customer.test>']);
    expect((await outboundRows(person)).map((row) => row.kind)).toEqual(['acknowledgement']);
    expect(await outboundRows(list)).toHaveLength(0);
  });

  it('holds mail to an address that bounced before', async () => {
    const bouncing = await make.contact(organization.id, { name: 'Bob Bounce' });
    await t.database.db.insertInto('mail_address_flags').values({ address: bouncing.email, reason: 'bounce' }).execute();
    const ticket = await openCase(bouncing);
    await flush();
    const before = sink.messages.length;
    await reply(ticket.id, 'Will you get this?');
    await flush();
    expect(received(bouncing.email, before)).toHaveLength(0);
    const [held] = await outboundRows(ticket.id);
    expect(held).toMatchObject({ state: 'held', attempts: 0 });
    const listed = await call(t.app, adminToken, 'GET', '/api/v1/mail/outbound?state=held');
    expect((listed.json().items as { id: string }[]).map((row) => row.id)).toContain(held!.id);
  });

  it('turns due SLA and panic e-mail notifications into mail once, and leaves later ones for later', async () => {
    const ticket = await openCase(contact, { subject: 'Database down' });
    const frenchAgent = await make.agent({ name: 'Jean Agent', locale: 'fr' });
    await flush();
    const before = sink.messages.length;
    const db = t.database.db;
    await notifyUsers(db, { userIds: [agent.id, frenchAgent.id], kind: 'sla.breach', ticketId: ticket.id, payload: { clockKind: 'first-response', threshold: 100, number: ticket.number, dueAt: new Date().toISOString() }, dedupeKey: `test-sla:${ticket.id}`, isUrgent: true });
    await notifyUsers(db, { userIds: [agent.id], kind: 'panic', ticketId: ticket.id, payload: { number: ticket.number, organizationName: organization.name, priority: 'P1', description: 'Everything is <down>' }, dedupeKey: `test-panic:${ticket.id}`, isUrgent: true });
    await notifyUsers(db, { userIds: [agent.id], kind: 'sla.warning', ticketId: ticket.id, payload: { number: ticket.number, threshold: 75 }, dedupeKey: `test-later:${ticket.id}`, isUrgent: false }, new Date(Date.now() + 3_600_000));

    expect((await deliverEmailNotifications(db, mail)).mailed).toBe(3);
    expect((await deliverEmailNotifications(db, mail)).mailed).toBe(0);
    await flush();
    const toAgent = received(agent.email, before);
    expect(toAgent.map((mail) => mail.parsed.subject).sort()).toEqual([`[#${ticket.number}] PANIC — ${organization.name}: Database down`, `[#${ticket.number}] SLA breached: Database down`]);
    const panic = toAgent.find((mail) => mail.parsed.subject?.includes('PANIC'))!;
    expect(headerOf(panic, 'auto-submitted')).toBe('auto-replied');
    expect(panic.parsed.html).toContain('Everything is &lt;down&gt;');
    expect(panic.parsed.text).toContain(`https://support.casebook.test/cases/${ticket.id}`);
    const [french] = received(frenchAgent.email, before);
    expect(french?.parsed.subject).toBe(`[#${ticket.number}] SLA dépassé : Database down`);

    const pending = await db.selectFrom('notifications').select(['kind', 'delivered_at']).where('ticket_id', '=', ticket.id).where('channel', '=', 'email').execute();
    expect(pending.filter((row) => row.delivered_at === null).map((row) => row.kind)).toEqual(['sla.warning']);
    // In-app notices are not touched by e-mail delivery.
    const inApp = await db.selectFrom('notifications').select('delivered_at').where('ticket_id', '=', ticket.id).where('channel', '=', 'in-app').execute();
    expect(inApp.every((row) => row.delivered_at === null)).toBe(true);
  });

  it('leaves mail queued, and says so once, when no SMTP relay is configured', async () => {
    const logged: string[] = [];
    const idle = startSmtpSender(t.database.db, { smtpUrl: undefined, maxAttempts: 3, retryBaseMs: 1000, log: (_level, message) => logged.push(message) });
    const ticket = await openCase(contact);
    await reply(ticket.id, 'Nobody will carry this yet.');
    await processor.drain();
    expect(await idle.runNow()).toMatchObject({ claimed: 0 });
    await idle.stop();
    expect(logged).toEqual(['CASEBOOK_SMTP_URL is not set: outbound mail stays queued until a relay is configured']);
    expect((await outboundRows(ticket.id)).map((row) => row.state)).toEqual(['queued']);
  });
});
