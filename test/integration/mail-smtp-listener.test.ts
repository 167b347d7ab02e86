import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpListener, type SmtpListener } from '../../src/channels/smtp-listener.ts';
import { createMailbox, updateMailbox, type Mailbox } from '../../src/domain/mail/index.ts';
import { createTeam, SYSTEM_ACTOR } from '../../src/domain/identity/index.ts';
import { createTestApp, unique, type TestApp } from '../support/test-app.ts';

/**
 * The built-in SMTP listener with a real SMTP client (nodemailer) and hand-typed SMTP sessions:
 * accepted mail is stored byte for byte before the 250, everything else is refused with the code
 * an MTA acts on (550 unknown recipient, 552 too large, 451 try again later).
 */

const MAX_BYTES = 64 * 1024;

let t: TestApp;
let listener: SmtpListener;
let support: Mailbox;
let sales: Mailbox;

type SmtpReply = { code: number; text: string };

/** Types SMTP commands one by one (as `telnet` would) and returns every reply, the greeting first. */
async function smtpSession(port: number, commands: string[]): Promise<SmtpReply[]> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolveConnect, rejectConnect) => {
    socket.once('connect', resolveConnect);
    socket.once('error', rejectConnect);
  });
  const replies: SmtpReply[] = [];
  let buffered = '';
  let waiting: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let match: RegExpExecArray | null;
    // A reply ends with a line "NNN text" (continuation lines are "NNN-text").
    while ((match = /^((?:\d{3}-[^\r\n]*\r\n)*)(\d{3}) ([^\r\n]*)\r\n/.exec(buffered))) {
      replies.push({ code: Number(match[2]), text: `${match[1]}${match[2]} ${match[3]}` });
      buffered = buffered.slice(match[0].length);
      waiting?.();
    }
  });
  const replyCount = async (count: number) => {
    while (replies.length < count) {
      await new Promise<void>((resolveWait, rejectWait) => {
        const timer = setTimeout(() => rejectWait(new Error(`no SMTP reply after ${JSON.stringify(replies)}`)), 10_000);
        waiting = () => {
          clearTimeout(timer);
          resolveWait();
        };
      });
    }
  };
  await replyCount(1);
  for (const command of commands) {
    socket.write(command);
    await replyCount(replies.length + 1);
  }
  socket.end();
  return replies;
}

function plainTransport() {
  return nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true, name: 'mta.sender.test' });
}

/** A complete RFC 5322 message with CRLF line ends, a UTF-8 body and a line that needs dot-stuffing. */
function rawMessage(options: { messageId?: string; subject?: string; body?: string; to?: string } = {}): Buffer {
  const messageId = options.messageId ?? `${randomUUID()}@sender.test`;
  return Buffer.from(
    [
      'From: Nina Kowalski <nina@northwind.test>',
      `To: ${options.to ?? support.address}`,
      `Subject: ${options.subject ?? 'Our backup job fails since Monday'}`,
      `Message-ID: <${messageId}>`,
      'Date: Mon, 23 Nov 2026 08:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      options.body ?? 'Hello,\r\nthe nightly job stops with "quota exceeded" — même après redémarrage.\r\n.hidden line that starts with a dot\r\n..two dots\r\n\r\nNina',
      '',
    ].join('\r\n'),
    'utf8',
  );
}

async function storedRows(messageId: string) {
  return t.database.db.selectFrom('inbound_mails').selectAll().where('message_id', '=', messageId).execute();
}

beforeAll(async () => {
  t = await createTestApp();
  const team = await createTeam(t.database.db, SYSTEM_ACTOR, { name: unique('Mail team') });
  support = await createMailbox(t.database.db, SYSTEM_ACTOR, { address: `${unique('support')}@example.test`, teamId: team.id });
  sales = await createMailbox(t.database.db, SYSTEM_ACTOR, { address: `${unique('sales')}@example.test`, teamId: team.id });
  listener = await startSmtpListener(t.database.db, { host: '127.0.0.1', port: 0, maxBytes: MAX_BYTES, name: 'mx.casebook.test' });
});

afterAll(async () => {
  await listener?.stop();
  await t?.close();
});

describe('the SMTP listener', () => {
  it('greets with its host name and offers no AUTH and no STARTTLS without a certificate', async () => {
    expect(listener.port).toBeGreaterThan(0);
    const replies = await smtpSession(listener.port, ['EHLO mta.sender.test\r\n', 'QUIT\r\n']);
    expect(replies[0]!.code).toBe(220);
    expect(replies[0]!.text).toMatch(/^220 mx\.casebook\.test ESMTP Casebook/);
    expect(replies[1]!.code).toBe(250);
    expect(replies[1]!.text).toContain(`SIZE ${MAX_BYTES}`);
    expect(replies[1]!.text).not.toMatch(/STARTTLS|AUTH/);
  });

  it('stores a mail exactly as received (bytes, envelope, mailbox) before answering 250, and queues its processing', async () => {
    const messageId = `${randomUUID()}@sender.test`;
    const raw = rawMessage({ messageId });
    const info = await plainTransport().sendMail({ envelope: { from: 'bounces@northwind.test', to: [support.address] }, raw });
    expect(info.response).toMatch(/^250 /);
    expect(info.accepted).toEqual([support.address]);

    const rows = await storedRows(messageId);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(Buffer.compare(row.raw, raw)).toBe(0);
    expect(row).toMatchObject({ source: 'smtp', mailbox_id: support.id, envelope_from: 'bounces@northwind.test', envelope_to: [support.address], size: raw.length, state: 'received' });
    expect(info.response).toContain(row.id);
    const events = await t.database.db.selectFrom('outbox').select(['topic', 'payload']).where('topic', '=', 'mail.received').execute();
    expect(events.map((event) => event.payload)).toContainEqual({ inboundMailId: row.id });
  });

  it('accepts plus addresses of a mailbox (the per-case Reply-To form)', async () => {
    const messageId = `${randomUUID()}@sender.test`;
    const [local, domain] = support.address.split('@');
    const tagged = `${local}+a1b2c3d4@${domain}`;
    const info = await plainTransport().sendMail({ envelope: { from: 'nina@northwind.test', to: [tagged] }, raw: rawMessage({ messageId, to: tagged }) });
    expect(info.response).toMatch(/^250 /);
    expect((await storedRows(messageId))[0]).toMatchObject({ mailbox_id: support.id, envelope_to: [tagged] });
  });

  it('accepts a delivery report from the null sender (MAIL FROM:<>), typed by hand, dot-stuffing undone', async () => {
    const messageId = `${randomUUID()}@mx.northwind.test`;
    const content = `From: Mail Delivery System <MAILER-DAEMON@mx.northwind.test>\r\nTo: ${support.address}\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <${messageId}>\r\n\r\nThis is the mail system.\r\n.\r\n`;
    const stuffed = content.replace(/\r\n\./g, '\r\n..');
    const replies = await smtpSession(listener.port, ['HELO mx.northwind.test\r\n', 'MAIL FROM:<>\r\n', `RCPT TO:<${support.address}>\r\n`, 'DATA\r\n', `${stuffed}.\r\n`, 'QUIT\r\n']);
    expect(replies.map((reply) => reply.code)).toEqual([220, 250, 250, 250, 354, 250, 221]);
    const rows = await storedRows(messageId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ envelope_from: null, mailbox_id: support.id });
    expect(Buffer.from(rows[0]!.raw).toString('utf8')).toBe(content);
  });

  it('refuses unknown recipients with 550 5.1.1 and stores nothing', async () => {
    const messageId = `${randomUUID()}@sender.test`;
    const refused = await plainTransport()
      .sendMail({ envelope: { from: 'nina@northwind.test', to: ['nobody@example.test'] }, raw: rawMessage({ messageId }) })
      .then(() => null, (error: { responseCode?: number; response?: string }) => error);
    expect(refused?.responseCode).toBe(550);
    expect(refused?.response).toMatch(/^550 5\.1\.1 /);
    expect(await storedRows(messageId)).toEqual([]);
  });

  it('with one known and one unknown recipient, stores the mail for the known one only', async () => {
    const messageId = `${randomUUID()}@sender.test`;
    const info = await plainTransport().sendMail({ envelope: { from: 'nina@northwind.test', to: ['stranger@example.test', sales.address] }, raw: rawMessage({ messageId }) });
    expect(info.accepted).toEqual([sales.address]);
    expect(info.rejected).toEqual(['stranger@example.test']);
    expect((await storedRows(messageId))[0]).toMatchObject({ mailbox_id: sales.id, envelope_to: [sales.address] });
  });

  it('refuses mail for a deactivated mailbox', async () => {
    const team = await createTeam(t.database.db, SYSTEM_ACTOR, { name: unique('Closed team') });
    const closed = await createMailbox(t.database.db, SYSTEM_ACTOR, { address: `${unique('closed')}@example.test`, teamId: team.id });
    await updateMailbox(t.database.db, SYSTEM_ACTOR, closed.id, { isActive: false });
    const replies = await smtpSession(listener.port, ['EHLO mta.sender.test\r\n', 'MAIL FROM:<nina@northwind.test>\r\n', `RCPT TO:<${closed.address}>\r\n`, 'QUIT\r\n']);
    expect(replies[3]!.code).toBe(550);
  });

  it('refuses a message over the size limit with 552, declared or not, and stores nothing', async () => {
    const messageId = `${randomUUID()}@sender.test`;
    const raw = rawMessage({ messageId, body: `${'x'.repeat(998)}\r\n`.repeat(80) });
    expect(raw.length).toBeGreaterThan(MAX_BYTES);
    // Not declared: the whole message is transferred, then refused.
    const afterData = await plainTransport()
      .sendMail({ envelope: { from: 'nina@northwind.test', to: [support.address] }, raw })
      .then(() => null, (error: { responseCode?: number; response?: string }) => error);
    expect(afterData?.responseCode).toBe(552);
    expect(afterData?.response).toMatch(/^552 5\.3\.4 /);
    // Declared with MAIL FROM SIZE=: refused before any data.
    const declared = await smtpSession(listener.port, ['EHLO mta.sender.test\r\n', `MAIL FROM:<nina@northwind.test> SIZE=${raw.length}\r\n`, 'QUIT\r\n']);
    expect(declared[2]!.code).toBe(552);
    expect(await storedRows(messageId)).toEqual([]);
    // A message just under the limit still goes through.
    const fits = await plainTransport().sendMail({ envelope: { from: 'nina@northwind.test', to: [support.address] }, raw: rawMessage({ body: `${'y'.repeat(998)}\r\n`.repeat(60) }) });
    expect(fits.response).toMatch(/^250 /);
  });

  it('stores the same message delivered twice once (an MTA retrying after a lost 250)', async () => {
    const messageId = `${randomUUID()}@sender.test`;
    const raw = rawMessage({ messageId });
    const first = await plainTransport().sendMail({ envelope: { from: 'nina@northwind.test', to: [support.address] }, raw });
    // The retry travels another route: a Received header is added in front, the message is the same.
    const relayed = Buffer.concat([Buffer.from('Received: from relay.sender.test by mx.casebook.test; Mon, 23 Nov 2026 08:05:00 +0000\r\n'), raw]);
    const second = await plainTransport().sendMail({ envelope: { from: 'nina@northwind.test', to: [support.address] }, raw: relayed });
    expect(first.response).toMatch(/^250 /);
    expect(second.response).toMatch(/^250 .*already received/);
    const rows = await storedRows(messageId);
    expect(rows).toHaveLength(1);
    expect(Buffer.compare(rows[0]!.raw, raw)).toBe(0);
    const events = await t.database.db.selectFrom('outbox').select('payload').where('topic', '=', 'mail.received').execute();
    expect(events.filter((event) => (event.payload as { inboundMailId: string }).inboundMailId === rows[0]!.id)).toHaveLength(1);
  });

  it('answers 451 when the mail cannot be stored, so the MTA retries; the retry is stored once', async () => {
    const messageId = `${randomUUID()}@sender.test`;
    const raw = rawMessage({ messageId });
    const send = () => plainTransport().sendMail({ envelope: { from: 'nina@northwind.test', to: [support.address] }, raw });
    await t.database.db.schema.alterTable('inbound_mails').renameTo('inbound_mails_unavailable').execute();
    let failure: { responseCode?: number; response?: string } | null;
    try {
      failure = await send().then(() => null, (error: { responseCode?: number; response?: string }) => error);
    } finally {
      await t.database.db.schema.alterTable('inbound_mails_unavailable').renameTo('inbound_mails').execute();
    }
    expect(failure?.responseCode).toBe(451);
    expect(failure?.response).toMatch(/^451 4\.3\.0 /);
    expect(await storedRows(messageId)).toEqual([]);
    expect((await send()).response).toMatch(/^250 /);
    expect(await storedRows(messageId)).toHaveLength(1);
  });

  it('several clients delivering at once each get their own mail stored', async () => {
    const messageIds = Array.from({ length: 12 }, () => `${randomUUID()}@sender.test`);
    const results = await Promise.all(
      messageIds.map((messageId, index) =>
        plainTransport().sendMail({ envelope: { from: `customer${index}@northwind.test`, to: [index % 2 ? sales.address : support.address] }, raw: rawMessage({ messageId, subject: `Parallel ${index}` }) }),
      ),
    );
    expect(results.every((info) => /^250 /.test(info.response))).toBe(true);
    for (const [index, messageId] of messageIds.entries()) {
      const rows = await storedRows(messageId);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.mailbox_id).toBe(index % 2 ? sales.id : support.id);
      expect(Buffer.from(rows[0]!.raw).toString('utf8')).toContain(`Subject: Parallel ${index}\r\n`);
    }
  });
});

describe('the SMTP listener with a certificate', () => {
  let secured: SmtpListener;

  beforeAll(async () => {
    const dir = t.dataDir;
    const keyFile = join(dir, 'smtp-key.pem');
    const certFile = join(dir, 'smtp-cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=mx.casebook.test'], { stdio: 'ignore' });
    secured = await startSmtpListener(t.database.db, { host: '127.0.0.1', port: 0, maxBytes: MAX_BYTES, name: 'mx.casebook.test', tls: { cert: readFileSync(certFile), key: readFileSync(keyFile) } });
  });
  afterAll(() => secured?.stop());

  it('offers STARTTLS, and a client that requires TLS delivers over it', async () => {
    const replies = await smtpSession(secured.port, ['EHLO mta.sender.test\r\n', 'QUIT\r\n']);
    expect(replies[1]!.text).toContain('STARTTLS');
    const messageId = `${randomUUID()}@sender.test`;
    const raw = rawMessage({ messageId });
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: secured.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false }, name: 'mta.sender.test' });
    const info = await transport.sendMail({ envelope: { from: 'nina@northwind.test', to: [support.address] }, raw });
    expect(info.response).toMatch(/^250 /);
    const rows = await storedRows(messageId);
    expect(rows).toHaveLength(1);
    expect(Buffer.compare(rows[0]!.raw, raw)).toBe(0);
  });

  it('a client that requires TLS cannot deliver to the listener without a certificate', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } });
    await expect(transport.sendMail({ envelope: { from: 'nina@northwind.test', to: [support.address] }, raw: rawMessage() })).rejects.toThrow(/STARTTLS/);
  });

  it('stops cleanly: no more connections are accepted', async () => {
    const extra = await startSmtpListener(t.database.db, { host: '127.0.0.1', port: 0, maxBytes: MAX_BYTES });
    await extra.stop();
    await expect(smtpSession(extra.port, ['QUIT\r\n'])).rejects.toThrow(/ECONNREFUSED/);
  });
});
