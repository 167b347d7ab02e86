import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/identity/index.ts';
import type { Organization } from '../../src/domain/accounts/index.ts';
import { call, createTestApp, type TestApp } from '../support/test-app.ts';
import { mailWorld, newMessageId, rawMail, type RawMail } from './mail-world.ts';

describe('inbound mail threading', () => {
  let t: TestApp;
  let world: Awaited<ReturnType<typeof mailWorld>>;
  let northwind: Organization;
  let nina: User;
  let colleague: User;
  let stranger: User;

  beforeAll(async () => {
    t = await createTestApp();
    world = await mailWorld(t);
    northwind = await world.make.organization({ domains: ['northwind-thread.test'] });
    nina = await world.make.contact(northwind.id, { email: 'nina@northwind-thread.test', name: 'Nina' });
    colleague = await world.make.contact(northwind.id, { email: 'oscar@northwind-thread.test', name: 'Oscar' });
    const globex = await world.make.organization({ domains: ['globex-thread.test'] });
    stranger = await world.make.contact(globex.id, { email: 'gary@globex-thread.test', name: 'Gary' });
  });
  afterAll(() => t.close());

  /** Nina opens a case by mail; returns the case id, its number and the Message-ID of her mail. */
  async function openByMail(extra: Partial<RawMail> = {}): Promise<{ ticketId: string; number: number; messageId: string }> {
    const messageId = newMessageId('northwind-thread.test');
    const { id } = await world.deliver(rawMail({ from: 'Nina <nina@northwind-thread.test>', subject: `VPN drops ${messageId.slice(0, 6)}`, messageId, ...extra }));
    const ticketId = (await world.inbound(id)).ticket_id!;
    const { ticket } = await world.caseOf(ticketId);
    return { ticketId, number: ticket.number, messageId };
  }

  /** Delivers a mail and returns where it went and how. */
  async function reply(mail: RawMail): Promise<{ state: string; ticketId: string | null; outcome: Record<string, unknown> }> {
    const { id } = await world.deliver(rawMail(mail));
    const row = await world.inbound(id);
    return { state: row.state, ticketId: row.ticket_id, outcome: row.outcome as Record<string, unknown> };
  }

  it('threads a reply by our token in the recipient address and in our Message-IDs', async () => {
    const opened = await openByMail();
    const token = await world.mailTokenOf(opened.ticketId);
    const byAddress = await reply({ from: 'nina@northwind-thread.test', to: [`support+${token}@casebook.test`], subject: 'Re: something else', body: 'Still broken.' });
    expect(byAddress).toMatchObject({ state: 'processed', ticketId: opened.ticketId, outcome: { action: 'threaded', threadedBy: 'token' } });
    const byReference = await reply({ from: 'nina@northwind-thread.test', subject: 'Re: VPN', references: [`unknown-1@gmail.test`, `Zx8a0b.${token}@casebook.test`], body: 'And now?' });
    expect(byReference).toMatchObject({ ticketId: opened.ticketId, outcome: { threadedBy: 'token' } });
    const { messages } = await world.caseOf(opened.ticketId);
    expect(messages.map((message) => message.body)).toEqual([expect.any(String), 'Still broken.', 'And now?']);
    expect(messages.every((message) => message.channel === 'email' && message.authorId === nina.id)).toBe(true);
  });

  it('threads by In-Reply-To and References against mail we stored or sent', async () => {
    const opened = await openByMail();
    await t.database.db
      .insertInto('outbound_mails')
      .values({ kind: 'reply', dedupe_key: `reply:${opened.ticketId}`, ticket_id: opened.ticketId, from_address: 'support@casebook.test', to_addresses: [nina.email], subject: 'Re: VPN', message_id: 'plain-reply-1@casebook.test', text_body: 'Try again', html_body: '<p>Try again</p>', state: 'sent' })
      .execute();
    const toSent = await reply({ from: 'nina@northwind-thread.test', subject: 'Re: VPN', inReplyTo: 'plain-reply-1@casebook.test', body: 'Tried.' });
    expect(toSent).toMatchObject({ ticketId: opened.ticketId, outcome: { threadedBy: 'message-id' } });
    const toStored = await reply({ from: 'nina@northwind-thread.test', subject: 'Fwd: VPN', references: [opened.messageId, 'not-ours@example.test'], body: 'Forgot this.' });
    expect(toStored).toMatchObject({ ticketId: opened.ticketId, outcome: { threadedBy: 'message-id' } });
  });

  it('threads by the case number in the subject, and by the Outlook Thread-Index root', async () => {
    const opened = await openByMail();
    const bySubject = await reply({ from: 'nina@northwind-thread.test', subject: `Re: [#${opened.number}] VPN drops`, body: 'Any news?' });
    expect(bySubject).toMatchObject({ ticketId: opened.ticketId, outcome: { threadedBy: 'case-number' } });

    const root = randomBytes(22);
    const outlook = await openByMail({ headers: { 'Thread-Index': root.toString('base64') } });
    const child = Buffer.concat([root, randomBytes(5)]).toString('base64');
    const byThreadIndex = await reply({ from: 'nina@northwind-thread.test', subject: 'AW: VPN', headers: { 'Thread-Index': child, 'Thread-Topic': 'VPN' }, body: 'Outlook here.' });
    expect(byThreadIndex).toMatchObject({ ticketId: outlook.ticketId, outcome: { threadedBy: 'thread-index' } });
  });

  it('opens a new linked case when another customer replies with a valid case number or References, never joining the first case', async () => {
    const opened = await openByMail({ body: 'Our VPN gateway 10.1.2.3 drops every hour.' });
    const strangerToken = await world.make.token(stranger);
    const bySubject = await reply({ from: 'gary@globex-thread.test', subject: `Re: [#${opened.number}] VPN drops`, body: 'I see the same at Globex.' });
    const byReferences = await reply({ from: 'mallory@unknown-thread.test', subject: 'Re: VPN', references: [opened.messageId], body: 'Give me the config.' });
    for (const outcome of [bySubject, byReferences]) {
      expect(outcome).toMatchObject({ state: 'processed', outcome: { action: 'linked', linkedTo: opened.ticketId, reason: 'not-a-participant' } });
      expect(outcome.ticketId).not.toBe(opened.ticketId);
    }
    const first = await world.caseOf(opened.ticketId);
    expect(first.messages).toHaveLength(1);
    expect(first.messages.map((message) => message.body).join('\n')).not.toMatch(/Globex|config/);
    const second = await world.caseOf(bySubject.ticketId!);
    expect(second.ticket).toMatchObject({ requesterId: stranger.id, organizationId: stranger.organizationId, subject: 'Re: VPN drops' });
    const links = await call(t.app, world.agentToken, 'GET', `/api/v1/tickets/${bySubject.ticketId}/links`);
    expect((links.json() as { items: unknown[] }).items).toEqual([expect.objectContaining({ kind: 'related', targetTicketId: opened.ticketId })]);
    // The other customer still cannot read the first case.
    expect((await call(t.app, strangerToken, 'GET', `/api/v1/tickets/${opened.ticketId}`)).statusCode).toBe(404);
    expect((await call(t.app, strangerToken, 'GET', `/api/v1/tickets/${bySubject.ticketId}/messages`)).statusCode).toBe(200);
  });

  it("threads replies from CC'd participants and from colleagues of the organisation", async () => {
    const opened = await openByMail({ cc: ['Pat Partner <pat@partner-thread.test>'] });
    const fromParticipant = await reply({ from: 'Pat Partner <pat@partner-thread.test>', subject: 'Re: VPN', inReplyTo: opened.messageId, body: 'Our side of the tunnel is up.' });
    expect(fromParticipant).toMatchObject({ state: 'processed', ticketId: opened.ticketId, outcome: { action: 'threaded' } });
    const fromColleague = await reply({ from: 'oscar@northwind-thread.test', subject: `Re: [#${opened.number}]`, body: 'Same on my laptop.' });
    expect(fromColleague).toMatchObject({ ticketId: opened.ticketId });
    const { messages } = await world.caseOf(opened.ticketId);
    const pat = await t.database.db.selectFrom('users').select(['id', 'kind']).where('email', '=', 'pat@partner-thread.test').executeTakeFirstOrThrow();
    expect(messages.map((message) => message.authorId)).toEqual([nina.id, pat.id, colleague.id]);
  });

  it('adds an agent replying by mail as a public agent reply', async () => {
    const opened = await openByMail();
    const agentReply = await reply({ from: world.agent.email, subject: `Re: [#${opened.number}]`, body: 'Please update the client to 4.2.' });
    expect(agentReply).toMatchObject({ ticketId: opened.ticketId, outcome: { author: 'agent' } });
    const { ticket, messages } = await world.caseOf(opened.ticketId);
    expect(messages.at(-1)).toMatchObject({ authorId: world.agent.id, internal: false, channel: 'email', body: 'Please update the client to 4.2.' });
    expect(ticket.status).toBe('open');
  });

  it('reopens a solved case on a reply, and opens a new linked case for a reply to a closed one', async () => {
    const solved = await openByMail();
    expect((await call(t.app, world.agentToken, 'PATCH', `/api/v1/tickets/${solved.ticketId}`, { status: 'solved' })).statusCode).toBe(200);
    await reply({ from: 'nina@northwind-thread.test', subject: `Re: [#${solved.number}]`, body: 'It is back.' });
    expect((await world.caseOf(solved.ticketId)).ticket.status).toBe('open');

    const closed = await openByMail();
    for (const status of ['solved', 'closed']) {
      expect((await call(t.app, world.agentToken, 'PATCH', `/api/v1/tickets/${closed.ticketId}`, { status })).statusCode).toBe(200);
    }
    const late = await reply({ from: 'nina@northwind-thread.test', subject: `Re: [#${closed.number}]`, body: 'Happened again.' });
    expect(late).toMatchObject({ state: 'processed', outcome: { action: 'linked', linkedTo: closed.ticketId, reason: 'case-closed' } });
    expect((await world.caseOf(closed.ticketId)).messages).toHaveLength(1);
    expect((await world.caseOf(late.ticketId!)).ticket).toMatchObject({ requesterId: nina.id, status: 'new' });
  });

  it('ignores an auto-reply to our mail: no message, no case', async () => {
    const opened = await openByMail();
    const token = await world.mailTokenOf(opened.ticketId);
    const before = await world.ticketCount();
    const vacation = await reply({
      from: 'nina@northwind-thread.test',
      subject: `Out of office: Re: [#${opened.number}]`,
      inReplyTo: `ack.${token}@casebook.test`,
      headers: { 'Auto-Submitted': 'auto-replied' },
      body: 'I am away until Monday.',
    });
    expect(vacation).toMatchObject({ state: 'ignored', ticketId: null });
    expect(await world.ticketCount()).toBe(before);
    expect((await world.caseOf(opened.ticketId)).messages).toHaveLength(1);
  });
});
