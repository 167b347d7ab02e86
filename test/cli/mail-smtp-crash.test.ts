import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.ts';
import { openRuntime } from '../../src/platform/runtime.ts';
import { bearerClient, cleanupAll, cliEnv, freePort, makeTempDir, runCli, startServer, tokenFrom, type ApiClient, type ServerProcess } from './cli-harness.ts';

/**
 * "Nothing lost" for mail: a batch of mails is delivered over SMTP to the real server while it is
 * killed with `kill -9`. After the restart, the sender re-sends exactly the mails it got no `250`
 * for (what an MTA does). Every mail is then stored once and becomes exactly one case: a mail
 * acknowledged before the crash is not lost, one stored but not acknowledged is not doubled.
 */

const ADMIN_EMAIL = 'admin.mailcrash@example.com';
const ADMIN_PASSWORD = 'mail-crash-admin-password';
const MAILBOX = 'support@crash.example.test';
const MAILS = 40;

type Mail = { index: number; messageId: string; subject: string; from: string; raw: Buffer };
type Delivery = { mail: Mail; accepted: boolean; response: string };

let dataDir: string;
let smtpPort: number;
let server: ServerProcess;

const env = () => ({ CASEBOOK_DATA_DIR: dataDir, CASEBOOK_ADMIN_EMAIL: ADMIN_EMAIL, CASEBOOK_ADMIN_PASSWORD: ADMIN_PASSWORD, CASEBOOK_SMTP_LISTEN: `127.0.0.1:${smtpPort}` });

function composeMail(index: number, runId: string): Mail {
  const messageId = `crash-${index}-${runId}@sender${index}.example.test`;
  const subject = `Crash mail ${index}: the export hangs at ${index * 7} %`;
  const from = `customer${index}@sender${index}.example.test`;
  const raw = Buffer.from(
    [
      `From: Customer ${index} <${from}>`,
      `To: Support <${MAILBOX}>`,
      `Subject: ${subject}`,
      `Message-ID: <${messageId}>`,
      'Date: Mon, 23 Nov 2026 09:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Hello, this is mail ${index} of the batch.`,
      'x'.repeat(200 + index * 50),
      '',
    ].join('\r\n'),
  );
  return { index, messageId, subject, from, raw };
}

/** One SMTP delivery the way an MTA makes it: its own connection, the raw message, the envelope. */
async function deliver(mail: Mail): Promise<Delivery> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, connectionTimeout: 10_000, socketTimeout: 30_000, name: 'mta.crash.test' });
  try {
    const info = await transport.sendMail({ envelope: { from: mail.from, to: [MAILBOX] }, raw: mail.raw });
    return { mail, accepted: /^250 /.test(info.response), response: info.response };
  } catch (error) {
    return { mail, accepted: false, response: (error as Error).message };
  } finally {
    transport.close();
  }
}

async function waitFor<T>(what: string, read: () => Promise<T>, isDone: (value: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!isDone(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms (last: ${JSON.stringify(value).slice(0, 2000)})`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));
    value = await read();
  }
  return value;
}

async function casesFromTheBatch(api: ApiClient): Promise<{ subject: string; channel: string }[]> {
  const response = await api.get('/api/v1/tickets?view=all&limit=200');
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return (response.body.items as { subject: string; channel: string }[]).filter((ticket) => ticket.subject.startsWith('Crash mail '));
}

beforeAll(async () => {
  dataDir = makeTempDir();
  smtpPort = await freePort();
  server = await startServer(['--no-demo'], { env: env() });
});

afterAll(async () => {
  await cleanupAll();
});

describe('kill -9 of the server in the middle of an SMTP batch', () => {
  it(`stores each of ${MAILS} mails once and opens one case per mail`, { timeout: 300_000 }, async () => {
    expect(server.output()).toContain(`SMTP listener for inbound mail on 127.0.0.1:${smtpPort}`);
    const created = await runCli(['token', 'create', '--user', ADMIN_EMAIL], { env: cliEnv({ CASEBOOK_DATA_DIR: dataDir }) });
    expect(created.code, created.output).toBe(0);
    const token = tokenFrom(created);
    const team = await bearerClient(server.url, token).post('/api/v1/teams', { name: 'Crash Support' });
    expect(team.status, JSON.stringify(team.body)).toBe(201);
    // Sent to the running server (the embedded database admits one process).
    const added = await runCli(['mailbox', 'add', '--address', MAILBOX, '--team', 'crash support', '--name', 'Crash Support'], { env: cliEnv({ CASEBOOK_DATA_DIR: dataDir }) });
    expect(added.code, added.output).toBe(0);
    expect(added.stdout).toMatch(new RegExp(`^created mailbox ${MAILBOX.replace(/\./g, '\\.')} .*team=Crash Support`, 'm'));

    const runId = randomUUID().slice(0, 8);
    const mails = Array.from({ length: MAILS }, (_, index) => composeMail(index + 1, runId));

    // The whole batch at once; the server is killed as soon as a quarter of it was acknowledged.
    let acknowledged = 0;
    let killed: Promise<unknown> | undefined;
    const firstRound = await Promise.all(
      mails.map(async (mail) => {
        const delivery = await deliver(mail);
        if (delivery.accepted && ++acknowledged === MAILS / 4) killed = server.stop('SIGKILL');
        return delivery;
      }),
    );
    expect(killed, 'the batch finished before the kill: nothing was tested').toBeDefined();
    expect(await killed).toEqual({ code: null, signal: 'SIGKILL' });
    const unacknowledged = firstRound.filter((delivery) => !delivery.accepted);
    expect(firstRound.filter((delivery) => delivery.accepted).length).toBeGreaterThanOrEqual(MAILS / 4);
    expect(unacknowledged.length, 'some deliveries must have been cut by the kill').toBeGreaterThan(0);

    // The MTA retries what it got no 250 for, once the server is back.
    const restarted = await startServer(['--no-demo'], { env: env() });
    const retried = await Promise.all(unacknowledged.map((delivery) => deliver(delivery.mail)));
    expect(retried.filter((delivery) => !delivery.accepted)).toEqual([]);

    // Exactly one case per mail, opened by mail.
    const api = bearerClient(restarted.url, token);
    const cases = await waitFor('one case per mail', () => casesFromTheBatch(api), (found) => found.length >= MAILS);
    await new Promise((resolveWait) => setTimeout(resolveWait, 2_000)); // a late duplicate would show up now
    const settled = await casesFromTheBatch(api);
    expect(settled.map((ticket) => ticket.subject).sort()).toEqual(mails.map((mail) => mail.subject).sort());
    expect(new Set(settled.map((ticket) => ticket.channel))).toEqual(new Set(['email']));
    expect(cases.length).toBe(MAILS);

    expect(await restarted.stop()).toEqual({ code: 0, signal: null });

    // Stored exactly once, byte for byte, each processed into its own case.
    const runtime = await openRuntime(loadConfig({ CASEBOOK_DATA_DIR: dataDir, CASEBOOK_LOG_LEVEL: 'silent' }), { purpose: 'mail crash test' });
    try {
      const rows = await runtime.database.db.selectFrom('inbound_mails').select(['message_id', 'raw', 'source', 'state', 'ticket_id']).execute();
      expect(rows.map((row) => row.message_id).sort()).toEqual(mails.map((mail) => mail.messageId).sort());
      for (const row of rows) {
        const mail = mails.find((candidate) => candidate.messageId === row.message_id)!;
        expect(Buffer.compare(Buffer.from(row.raw), mail.raw), row.message_id!).toBe(0);
        expect(row).toMatchObject({ source: 'smtp', state: 'processed' });
      }
      expect(new Set(rows.map((row) => row.ticket_id)).size).toBe(MAILS);
    } finally {
      await runtime.close();
    }

    // Standalone (no server running), the CLI reads the same mailbox.
    const listed = await runCli(['mailbox', 'list'], { env: cliEnv({ CASEBOOK_DATA_DIR: dataDir }) });
    expect(listed.code, listed.output).toBe(0);
    expect(listed.stdout).toContain(`${MAILBOX}  "Crash Support"  team=Crash Support  smtp only`);
  });
});
