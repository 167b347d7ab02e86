import { randomBytes } from 'node:crypto';
import { acceptInboundMail, processInboundMail, type ProcessedInboundMail } from '../../src/domain/mail/index.ts';
import type { Message, Ticket } from '../../src/domain/tickets/index.ts';
import type { Config } from '../../src/platform/config.ts';
import { call, factories, type TestApp } from '../support/test-app.ts';

/** Shared fixtures of the mail-processing / mail-threading tests (not a test file itself). */

export type RawMail = {
  from: string;
  to?: string[];
  cc?: string[];
  subject?: string;
  body?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
};

export function newMessageId(domain = 'customer.test'): string {
  return `${randomBytes(8).toString('hex')}-mail@${domain}`;
}

/** A plain RFC 5322 text mail, CRLF line ends. */
export function rawMail(mail: RawMail): Buffer {
  const lines = [
    `From: ${mail.from}`,
    `To: ${(mail.to ?? ['support@casebook.test']).join(', ')}`,
    ...(mail.cc?.length ? [`Cc: ${mail.cc.join(', ')}`] : []),
    `Subject: ${mail.subject ?? 'Help needed'}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${mail.messageId ?? newMessageId()}>`,
    ...(mail.inReplyTo ? [`In-Reply-To: <${mail.inReplyTo}>`] : []),
    ...(mail.references?.length ? [`References: ${mail.references.map((id) => `<${id}>`).join(' ')}`] : []),
    ...Object.entries(mail.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    ...(mail.body ?? 'Our export fails since this morning.').split('\n'),
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

export async function mailWorld(t: TestApp) {
  const make = factories(t.database);
  const db = t.database.db;
  const agent = await make.agent({ name: 'Alice Agent' });
  const agentToken = await make.token(agent);
  // The mailbox customers write to (the mailbox context's table; its own tests cover its API).
  await db.insertInto('mailboxes').values({ address: 'support@casebook.test' }).execute();

  /** Stores the raw mail as the SMTP listener would, then runs the processor on it. */
  async function deliver(raw: Buffer, options: { config?: Partial<Config>; envelopeTo?: string[]; envelopeFrom?: string | null } = {}): Promise<{ id: string; result: ProcessedInboundMail }> {
    const accepted = await acceptInboundMail(db, { raw, source: 'api', envelopeTo: options.envelopeTo, envelopeFrom: options.envelopeFrom });
    const result = await processInboundMail({ database: t.database, files: t.files, config: { ...t.config, ...options.config } }, accepted.id);
    return { id: accepted.id, result };
  }

  async function inbound(id: string) {
    return db.selectFrom('inbound_mails').select(['state', 'classification', 'ticket_id', 'created_message_id', 'outcome', 'last_error', 'from_address']).where('id', '=', id).executeTakeFirstOrThrow();
  }

  /** The case and its messages as an agent sees them through the API. */
  async function caseOf(ticketId: string): Promise<{ ticket: Ticket; messages: Message[] }> {
    const ticket = await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticketId}`);
    const messages = await call(t.app, agentToken, 'GET', `/api/v1/tickets/${ticketId}/messages`);
    if (ticket.statusCode !== 200 || messages.statusCode !== 200) throw new Error(`case ${ticketId}: ${ticket.body} ${messages.body}`);
    return { ticket: ticket.json() as Ticket, messages: (messages.json() as { items: Message[] }).items };
  }

  async function mailTokenOf(ticketId: string): Promise<string> {
    return (await db.selectFrom('tickets').select('mail_token').where('id', '=', ticketId).executeTakeFirstOrThrow()).mail_token;
  }

  async function ticketCount(): Promise<number> {
    return Number((await db.selectFrom('tickets').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow()).count);
  }

  return { make, db, agent, agentToken, deliver, inbound, caseOf, mailTokenOf, ticketCount };
}
