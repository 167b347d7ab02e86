import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInboundMail, MAX_INBOUND_ATTEMPTS, parseMessage, processInboundMail, requeueStalledInboundMails } from '../../src/domain/mail/index.ts';
import { buildEventHandlers } from '../../src/jobs/background.ts';
import type { FileStore } from '../../src/platform/file-store.ts';
import { startOutboxProcessor } from '../../src/platform/outbox/processor.ts';
import { call, createTestApp, type TestApp } from '../support/test-app.ts';
import { mailWorld, newMessageId, rawMail } from './mail-world.ts';

const corpusDir = fileURLToPath(new URL('../../../shared/corpora/mail/', import.meta.url));

describe('inbound mail → cases', () => {
  let t: TestApp;
  let world: Awaited<ReturnType<typeof mailWorld>>;

  beforeAll(async () => {
    t = await createTestApp();
    world = await mailWorld(t);
  });
  afterAll(() => t.close());

  it('opens a case for a known contact, in the mailbox team, with the message on the email channel', async () => {
    const organization = await world.make.organization();
    const contact = await world.make.contact(organization.id, { email: 'nina@northwind-mail.test', name: 'Nina' });
    const team = await t.database.db.insertInto('teams').values({ name: 'Mail support' }).returning('id').executeTakeFirstOrThrow();
    const mailbox = await t.database.db.insertInto('mailboxes').values({ address: 'help@casebook.test', team_id: team.id }).returning('id').executeTakeFirstOrThrow();
    const raw = rawMail({ from: 'Nina <NINA@northwind-mail.test>', to: ['help@casebook.test'], subject: 'Export fails', body: 'The nightly export fails with error 500.' });
    const stored = await acceptInboundMail(t.database.db, { raw, source: 'smtp', mailboxId: mailbox.id, envelopeTo: ['help@casebook.test'] });
    await processInboundMail({ database: t.database, files: t.files, config: t.config }, stored.id);

    const row = await world.inbound(stored.id);
    expect(row).toMatchObject({ state: 'processed', classification: 'normal', from_address: 'nina@northwind-mail.test' });
    const { ticket, messages } = await world.caseOf(row.ticket_id!);
    expect(ticket).toMatchObject({ subject: 'Export fails', requesterId: contact.id, organizationId: organization.id, channel: 'email', teamId: team.id });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ authorId: contact.id, body: 'The nightly export fails with error 500.', channel: 'email', internal: false, quotedBody: null });
    // The Message-ID is recorded for threading, and the new case event tells the outbound side where it came from.
    const recorded = await t.database.db.selectFrom('mail_message_ids').selectAll().where('ticket_id', '=', ticket.id).execute();
    expect(recorded).toEqual([expect.objectContaining({ direction: 'in', message_ref: messages[0]!.id })]);
    const event = await t.database.db.selectFrom('outbox').select('payload').where('topic', '=', 'ticket.created').execute();
    expect(event.map((item) => item.payload as Record<string, unknown>).find((payload) => payload.ticketId === ticket.id)).toMatchObject({ channel: 'email', inboundMailId: stored.id });
  });

  it('is the outbox subscriber of mail.received: a stored mail becomes a case once the processor runs', async () => {
    const stored = await acceptInboundMail(t.database.db, { raw: rawMail({ from: 'outbox@through-outbox.test', subject: 'Through the outbox' }), source: 'smtp' });
    const processor = startOutboxProcessor(t.database, buildEventHandlers({ database: t.database, files: t.files, config: t.config }, t.realtime), { pollIntervalMs: 60_000 });
    try {
      await processor.drain();
    } finally {
      await processor.stop();
    }
    const row = await world.inbound(stored.id);
    expect(row.state).toBe('processed');
    expect((await world.caseOf(row.ticket_id!)).ticket.subject).toBe('Through the outbox');
  });

  it('makes a new contact in the organisation that claims the sender domain', async () => {
    const organization = await world.make.organization({ domains: ['globex-mail.test'] });
    const { id } = await world.deliver(rawMail({ from: '"Gary Globex" <gary@eu.globex-mail.test>', subject: 'License question' }));
    const row = await world.inbound(id);
    const { ticket } = await world.caseOf(row.ticket_id!);
    const requester = await t.database.db.selectFrom('users').selectAll().where('id', '=', ticket.requesterId).executeTakeFirstOrThrow();
    expect(requester).toMatchObject({ email: 'gary@eu.globex-mail.test', name: 'Gary Globex', kind: 'contact', roles: ['customer'], organization_id: organization.id });
    expect(ticket.organizationId).toBe(organization.id);
    expect(row.outcome).toMatchObject({ action: 'created', sender: 'organization-domain' });
  });

  it('puts strangers in one "unassigned" organisation for triage, and CC people become participants', async () => {
    const first = await world.deliver(rawMail({ from: 'someone@nowhere-known.test', cc: ['colleague@nowhere-known.test', 'support@casebook.test'], subject: 'Hello' }));
    const second = await world.deliver(rawMail({ from: 'other@elsewhere-unknown.test', subject: 'Hi' }));
    const unassigned = await t.database.db.selectFrom('organizations').select(['id', 'is_unassigned']).where('is_unassigned', '=', true).execute();
    expect(unassigned).toHaveLength(1);
    for (const { id } of [first, second]) {
      const { ticket } = await world.caseOf((await world.inbound(id)).ticket_id!);
      expect(ticket.organizationId).toBe(unassigned[0]!.id);
    }
    const firstTicket = (await world.inbound(first.id)).ticket_id!;
    const participants = await t.database.db.selectFrom('ticket_participants').select('email').where('ticket_id', '=', firstTicket).execute();
    expect(participants.map((participant) => participant.email)).toEqual(['colleague@nowhere-known.test']);
  });

  it('keeps the new text as the body and folds the quoted history and signature into quotedBody', async () => {
    const body = ['Thanks, that fixed it.', '', '--', 'Paul Martin', 'ACME Corp', '', 'On Mon, 2 Mar 2026 at 10:00, Support <support@casebook.test> wrote:', '> Please restart the agent.', '> Regards'].join('\n');
    const { id } = await world.deliver(rawMail({ from: 'paul@acme-folding.test', subject: 'Agent down', body }));
    const { messages } = await world.caseOf((await world.inbound(id)).ticket_id!);
    expect(messages[0]!.body).toBe('Thanks, that fixed it.');
    expect(messages[0]!.quotedBody).toContain('> Please restart the agent.');
    expect(messages[0]!.quotedBody).toContain('Paul Martin');
    expect(messages[0]!.body).not.toContain('Please restart');
  });

  it('stores the attachments and inline images of a real unicode mail and points cid: images at served attachments', async () => {
    const raw = readFileSync(join(corpusDir, 'nodemailer-mailparser/test/fixtures/nodemailer.eml'));
    const parsed = await parseMessage(raw);
    if (!parsed.ok) throw new Error('corpus mail unreadable');
    const { id } = await world.deliver(raw);
    const row = await world.inbound(id);
    expect(row.state).toBe('processed');
    const { ticket, messages } = await world.caseOf(row.ticket_id!);
    expect(ticket.subject).toContain('Nodemailer is unicode friendly ✔');
    const [message] = messages;
    expect(message!.attachments.map((attachment) => attachment.sha256).sort()).toEqual(parsed.message.attachments.map((attachment) => attachment.sha256).sort());
    const image = message!.attachments.find((attachment) => attachment.filename === 'image.png')!;
    expect(image).toMatchObject({ contentType: 'image/png', ticketId: ticket.id, messageId: message!.id });
    expect(message!.bodyHtml).toContain(`src="/api/v1/attachments/${image.id}"`);
    expect(message!.bodyHtml).not.toContain('cid:note@example.com');
    // The served bytes are the decoded part, byte for byte.
    const download = await t.app.inject({ method: 'GET', url: `/api/v1/attachments/${image.id}`, headers: { authorization: `Bearer ${world.agentToken}` } });
    expect(download.statusCode).toBe(200);
    expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(image.sha256);
  });

  it('creates no case for bounces, complaints and auto-replies of the sisimai corpus, but does for its person-written mails', async () => {
    const bsd = join(corpusDir, 'sisimai-set-of-emails/maildir/bsd');
    if (!existsSync(bsd)) throw new Error(`corpus missing: ${bsd}`);
    const machine = readdirSync(bsd).filter((name, index) => index % 25 === 0 || name === 'arf-01.eml' || name === 'lhost-exim-01.eml');
    const before = await world.ticketCount();
    for (const name of machine) {
      const { id } = await world.deliver(readFileSync(join(bsd, name)));
      const row = await world.inbound(id);
      expect({ name, state: row.state, ticket: row.ticket_id }).toEqual({ name, state: 'ignored', ticket: null });
      expect(['bounce', 'feedback', 'auto-reply']).toContain(row.classification);
    }
    expect(await world.ticketCount()).toBe(before);
    for (const name of ['is-not-bounce-01.eml', 'is-not-bounce-02.eml']) {
      const { id } = await world.deliver(readFileSync(join(corpusDir, 'sisimai-set-of-emails/maildir/not', name)));
      expect((await world.inbound(id)).state).toBe('processed');
    }
    expect(await world.ticketCount()).toBe(before + 2);
  });

  it('attaches a bounce of a mail we sent to its case as an internal note, flags the address, and hides it from the customer', async () => {
    const organization = await world.make.organization();
    const contact = await world.make.contact(organization.id, { email: 'bouncing@bounce-customer.test' });
    const contactToken = await world.make.token(contact);
    const opened = await world.deliver(rawMail({ from: 'bouncing@bounce-customer.test', subject: 'Please call me' }));
    const ticketId = (await world.inbound(opened.id)).ticket_id!;
    const token = await world.mailTokenOf(ticketId);
    const sentId = `ack1.${token}@casebook.test`;
    await t.database.db
      .insertInto('outbound_mails')
      .values({ kind: 'acknowledgement', dedupe_key: `ack:${ticketId}`, ticket_id: ticketId, from_address: 'support@casebook.test', to_addresses: [contact.email], subject: 'Re: Please call me', message_id: sentId, text_body: 'We got it', html_body: '<p>We got it</p>', state: 'sent' })
      .execute();
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.bounce-customer.test>',
      'To: support@casebook.test',
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <${newMessageId('mx.bounce-customer.test')}>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'I could not deliver your message.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.bounce-customer.test',
      '',
      'Final-Recipient: rfc822; bouncing@bounce-customer.test',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 <bouncing@bounce-customer.test>: mailbox unknown',
      '',
      '--b1',
      'Content-Type: text/rfc822-headers',
      '',
      'From: support@casebook.test',
      'To: bouncing@bounce-customer.test',
      `Message-ID: <${sentId}>`,
      'Subject: Re: Please call me',
      '',
      '--b1--',
      '',
    ].join('\r\n');
    const before = await world.ticketCount();
    const { id } = await world.deliver(Buffer.from(dsn), { envelopeFrom: '' });
    const row = await world.inbound(id);
    expect(row).toMatchObject({ state: 'processed', classification: 'bounce', ticket_id: ticketId });
    expect(await world.ticketCount()).toBe(before);
    const { messages } = await world.caseOf(ticketId);
    const note = messages.find((message) => message.internal)!;
    expect(note.body).toContain('550 5.1.1');
    expect(note.body).toContain('bouncing@bounce-customer.test');
    expect(note.authorId).toBeNull();
    const flag = await t.database.db.selectFrom('mail_address_flags').selectAll().where('address', '=', 'bouncing@bounce-customer.test').executeTakeFirstOrThrow();
    expect(flag).toMatchObject({ reason: 'bounce', inbound_mail_id: id });
    // The customer reading the case never sees the bounce note nor its files.
    const seen = await call(t.app, contactToken, 'GET', `/api/v1/tickets/${ticketId}/messages`);
    expect(seen.statusCode).toBe(200);
    const visible = (seen.json() as { items: { id: string; internal: boolean; body: string }[] }).items;
    expect(visible.map((message) => message.id)).not.toContain(note.id);
    expect(visible.every((message) => !message.body.includes('5.1.1'))).toBe(true);
    for (const attachment of note.attachments) {
      expect((await call(t.app, contactToken, 'GET', `/api/v1/attachments/${attachment.id}`)).statusCode).toBe(404);
    }
  });

  it('flags the address of a bounced notification (a mail of no case) without opening anything', async () => {
    await t.database.db
      .insertInto('outbound_mails')
      .values({ kind: 'notification', dedupe_key: 'notice:1', from_address: 'support@casebook.test', to_addresses: ['gone-agent@casebook-staff.test'], subject: 'SLA warning', message_id: 'notice-1@casebook.test', text_body: 'x', html_body: '<p>x</p>', state: 'sent' })
      .execute();
    const bounce = [
      'From: postmaster@casebook-staff.test',
      'To: support@casebook.test',
      'Subject: Delivery Status Notification (Failure)',
      'X-Failed-Recipients: gone-agent@casebook-staff.test',
      'In-Reply-To: <notice-1@casebook.test>',
      '',
      'Delivery to the following recipient failed permanently:',
      '',
      '     gone-agent@casebook-staff.test',
      '',
    ].join('\r\n');
    const before = await world.ticketCount();
    const { id } = await world.deliver(Buffer.from(bounce));
    expect(await world.inbound(id)).toMatchObject({ state: 'ignored', classification: 'bounce', ticket_id: null, outcome: { flagged: ['gone-agent@casebook-staff.test'] } });
    expect(await world.ticketCount()).toBe(before);
    const flag = await t.database.db.selectFrom('mail_address_flags').selectAll().where('address', '=', 'gone-agent@casebook-staff.test').executeTakeFirstOrThrow();
    expect(flag.reason).toBe('bounce');
  });

  it('rate-limits new cases per sender address but lets replies thread', async () => {
    const config = { mailRateLimit: { count: 2, windowSeconds: 600 } };
    const ids: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      ids.push((await world.deliver(rawMail({ from: 'storm@storm-sender.test', subject: `Storm ${index}` }), { config })).id);
    }
    const rows = await Promise.all(ids.map((id) => world.inbound(id)));
    expect(rows.map((row) => row.state)).toEqual(['processed', 'processed', 'rate-limited', 'rate-limited']);
    expect(rows[2]!.ticket_id).toBeNull();
    const firstMessageId = (await t.database.db.selectFrom('mail_message_ids').select('message_id').where('ticket_id', '=', rows[0]!.ticket_id!).executeTakeFirstOrThrow()).message_id;
    const reply = await world.deliver(rawMail({ from: 'storm@storm-sender.test', subject: 'Re: Storm 0', inReplyTo: firstMessageId, body: 'One more detail.' }), { config });
    expect(await world.inbound(reply.id)).toMatchObject({ state: 'processed', ticket_id: rows[0]!.ticket_id });
    // Other senders are not held back.
    const other = await world.deliver(rawMail({ from: 'calm@storm-sender.test', subject: 'Unrelated' }), { config });
    expect((await world.inbound(other.id)).state).toBe('processed');
  });

  it('creates one case however often the same stored mail is processed, including after a crash mid-run', async () => {
    const before = await world.ticketCount();
    const raw = rawMail({ from: 'twice@replay-customer.test', subject: 'Only once' });
    const stored = await acceptInboundMail(t.database.db, { raw, source: 'imap' });
    // A crash while the files are written: nothing is committed, the mail stays 'received'.
    const crashing: FileStore = { ...t.files, put: async () => Promise.reject(new Error('disk gone')) };
    const deps = { database: t.database, files: t.files, config: t.config };
    const multipart = Buffer.from(
      ['From: twice@replay-customer.test', 'To: support@casebook.test', 'Subject: With file', `Message-ID: <${newMessageId()}>`, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="x"', '', '--x', 'Content-Type: text/plain', '', 'See attached.', '--x', 'Content-Type: application/pdf; name="report.pdf"', 'Content-Disposition: attachment; filename="report.pdf"', 'Content-Transfer-Encoding: base64', '', Buffer.from('%PDF-1.4 test').toString('base64'), '--x--', ''].join('\r\n'),
    );
    const withFile = await acceptInboundMail(t.database.db, { raw: multipart, source: 'imap' });
    await expect(processInboundMail({ ...deps, files: crashing }, withFile.id)).rejects.toThrow('disk gone');
    expect(await world.inbound(withFile.id)).toMatchObject({ state: 'received', ticket_id: null, last_error: 'disk gone' });
    await processInboundMail(deps, withFile.id);
    await processInboundMail(deps, withFile.id);
    // Concurrent runs of the same event (two nodes) and a replayed event: still one case each.
    await Promise.all([processInboundMail(deps, stored.id), processInboundMail(deps, stored.id)]);
    expect(await processInboundMail(deps, stored.id)).toEqual({ state: 'skipped', previousState: 'processed' });
    // The same mail accepted again (an SMTP retry) is recognised and never processed again.
    expect((await acceptInboundMail(t.database.db, { raw, source: 'smtp' })).duplicate).toBe(true);
    expect(await world.ticketCount()).toBe(before + 2);
    const { messages } = await world.caseOf((await world.inbound(withFile.id)).ticket_id!);
    expect(messages[0]!.attachments).toEqual([expect.objectContaining({ filename: 'report.pdf', size: 13 })]);
  });

  it('marks a mail it cannot parse as failed, keeps it stored, and carries on', async () => {
    const nested = Buffer.from(`From: a@broken-mime.test\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n${'--a\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n'.repeat(5000)}`);
    const { id, result } = await world.deliver(nested);
    expect(result).toMatchObject({ state: 'failed' });
    const row = await world.inbound(id);
    expect(row.state).toBe('failed');
    expect(row.last_error).toMatch(/MAIL_UNREADABLE/);
    const kept = await t.database.db.selectFrom('inbound_mails').select('size').where('id', '=', id).executeTakeFirstOrThrow();
    expect(kept.size).toBe(nested.length);
    const after = await world.deliver(rawMail({ from: 'fine@after-failure.test', subject: 'Still working' }));
    expect((await world.inbound(after.id)).state).toBe('processed');
  });

  it('hands a mail whose outbox retries ran out to processing again, and parks it as failed after the last attempt', async () => {
    const db = t.database.db;
    const deps = { database: t.database, files: t.files, config: t.config };
    const stalled = await acceptInboundMail(db, { raw: rawMail({ from: 'patient@stalled-customer.test', subject: 'Stalled' }), source: 'smtp' });
    const giveUp = await acceptInboundMail(db, { raw: rawMail({ from: 'patient@stalled-customer.test', subject: 'Hopeless' }), source: 'smtp' });
    const mine = (id: string) => db.selectFrom('outbox').select(['id', 'dead_at', 'processed_at']).where('topic', '=', 'mail.received').where(sql<boolean>`payload ->> 'inboundMailId' = ${id}`).execute();
    // The database was away for a while: every retry of both events failed and they went dead.
    await db.updateTable('outbox').set({ dead_at: new Date(), last_error: 'connection refused' }).where('topic', '=', 'mail.received').where('processed_at', 'is', null).execute();
    await db.updateTable('inbound_mails').set({ attempts: MAX_INBOUND_ATTEMPTS }).where('id', '=', giveUp.id).execute();
    // Recent mails are left to their own retries.
    expect(await requeueStalledInboundMails(db)).toEqual({ requeued: 0, failed: 0 });
    await sql`update inbound_mails set received_at = now() - interval '1 hour' where id in (${stalled.id}, ${giveUp.id})`.execute(db);
    expect(await requeueStalledInboundMails(db)).toMatchObject({ requeued: 1, failed: 1 });
    expect((await mine(stalled.id)).filter((event) => !event.dead_at && !event.processed_at)).toHaveLength(1);
    // A live event is pending now: the next pass does not add another.
    expect(await requeueStalledInboundMails(db)).toEqual({ requeued: 0, failed: 0 });
    await processInboundMail(deps, stalled.id);
    expect(await world.inbound(stalled.id)).toMatchObject({ state: 'processed' });
    expect((await world.inbound(stalled.id)).ticket_id).not.toBeNull();
    expect(await world.inbound(giveUp.id)).toMatchObject({ state: 'failed', ticket_id: null });
    expect((await world.inbound(giveUp.id)).last_error).toMatch(/gave up after 24 processing attempts/);
  });
});
