import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupCommitter } from '../../src/channels/smtp-listener.ts';
import { acceptInboundMail, findMailboxForRecipients, processInboundMailBatch } from '../../src/domain/mail/index.ts';
import type { FileStore } from '../../src/platform/file-store.ts';
import { call, createTestApp, type TestApp } from '../support/test-app.ts';
import { mailWorld, newMessageId, rawMail } from './mail-world.ts';

/**
 * Batched intake (issue 4, throughput): one `mail.received` event processes every mail waiting behind
 * it, in lanes, several mails per commit — with the guarantees of one mail at a time. The SMTP
 * listener commits concurrent deliveries together.
 */
describe('batched inbound mail intake', () => {
  let t: TestApp;
  let world: Awaited<ReturnType<typeof mailWorld>>;
  const config = () => ({ ...t.config, mailRateLimit: { count: 2, windowSeconds: 600 } });

  beforeAll(async () => {
    t = await createTestApp();
    world = await mailWorld(t);
  });
  afterAll(() => t.close());

  const accept = async (raw: Buffer) => (await acceptInboundMail(t.database.db, { raw, source: 'smtp' })).id;

  it('one event turns every waiting mail into its case or message, in arrival order where mails depend on each other', async () => {
    const first = newMessageId('northwind-batch.test');
    const ids = {
      opening: await accept(rawMail({ from: 'carol@northwind-batch.test', cc: ['dave@elsewhere-batch.test'], subject: 'Batch: printer on fire', messageId: first })),
      storm: [] as string[],
      // Another sender, CC'd on the first mail, answers it: it must run after the first mail's case exists.
      reply: '',
      quiet: '',
    };
    for (let index = 0; index < 4; index += 1) ids.storm.push(await accept(rawMail({ from: 'storm@storm-batch.test', subject: `Batch storm ${index}` })));
    ids.reply = await accept(rawMail({ from: 'dave@elsewhere-batch.test', subject: 'Re: Batch: printer on fire', inReplyTo: first, body: 'It is still burning.' }));
    ids.quiet = await accept(rawMail({ from: 'quiet@calm-batch.test', subject: 'Batch: unrelated question' }));

    const result = await processInboundMailBatch({ database: t.database, files: t.files, config: config() }, ids.opening, { lanes: 3, mailsPerCommit: 2 });
    expect(result).toMatchObject({ state: 'processed', outcome: { action: 'created' } });

    const opening = await world.inbound(ids.opening);
    const reply = await world.inbound(ids.reply);
    expect(reply).toMatchObject({ state: 'processed', ticket_id: opening.ticket_id, outcome: { action: 'threaded', threadedBy: 'message-id' } });
    const storm = await Promise.all(ids.storm.map((id) => world.inbound(id)));
    expect(storm.map((row) => row.state)).toEqual(['processed', 'processed', 'rate-limited', 'rate-limited']);
    expect((await world.inbound(ids.quiet)).state).toBe('processed');
    const { messages } = await world.caseOf(opening.ticket_id!);
    expect(messages.map((message) => message.body).sort()).toEqual(['It is still burning.', 'Our export fails since this morning.']);
    // The events of the mails taken along find them done.
    const again = await processInboundMailBatch({ database: t.database, files: t.files, config: config() }, ids.reply);
    expect(again).toEqual({ state: 'skipped', previousState: 'processed' });
  });

  it('writes the new cases and replies of a commit together, each still decided as if it came alone', async () => {
    const organization = await world.make.organization();
    const requester = await world.make.contact(organization.id);
    const colleague = await world.make.contact(organization.id);
    const another = await world.make.contact(organization.id);
    const openingId = newMessageId('together-batch.test');
    const opened = await world.deliver(rawMail({ from: requester.email, subject: 'Batch: invoices are wrong', messageId: openingId }));
    const earlierId = newMessageId('together-batch.test');
    await world.deliver(rawMail({ from: 'dup@together-batch.test', subject: 'Batch together: sent twice', messageId: earlierId }));
    const caseId = opened.result.state === 'processed' ? opened.result.ticketId! : '';
    const { ticket: existing } = await world.caseOf(caseId);
    await t.database.db.updateTable('tickets').set({ status: 'solved', solved_at: new Date() }).where('id', '=', caseId).execute();

    const ids = [
      await accept(rawMail({ from: 'first@together-batch.test', subject: 'Batch together: one' })),
      // The requester answers the solved case by its number: it reopens.
      await accept(rawMail({ from: requester.email, subject: `Re: [#${existing.number}] Batch: invoices are wrong`, body: 'Still wrong in March.' })),
      await accept(rawMail({ from: 'second@together-batch.test', subject: 'Batch together: two' })),
      // A colleague writes into the same case in the same commit: it finds the case open again.
      await accept(rawMail({ from: colleague.email, subject: `[#${existing.number}] Batch: invoices are wrong`, body: 'And in April.' })),
      // A mail seen before (same Message-ID, another copy) and an answer to the first mail by its Message-ID.
      await accept(rawMail({ from: 'dup@together-batch.test', subject: 'Batch together: sent twice', messageId: earlierId, body: 'Copy with another footer.' })),
      await accept(rawMail({ from: another.email, subject: 'Re: invoices', inReplyTo: openingId, body: 'May too.' })),
    ];
    await processInboundMailBatch({ database: t.database, files: t.files, config: config() }, ids[0]!, { lanes: 1, mailsPerCommit: 8 });

    const rows = await Promise.all(ids.map((id) => world.inbound(id)));
    expect(rows.map((row) => [row.state, (row.outcome as { action: string }).action])).toEqual([
      ['processed', 'created'],
      ['processed', 'threaded'],
      ['processed', 'created'],
      ['processed', 'threaded'],
      ['duplicate', 'duplicate'],
      ['processed', 'threaded'],
    ]);
    expect(rows[1]!.ticket_id).toBe(caseId);
    expect(rows[3]!.ticket_id).toBe(caseId);
    expect(rows[5]).toMatchObject({ ticket_id: caseId, outcome: { threadedBy: 'message-id' } });
    const [one, two] = await Promise.all([world.caseOf(rows[0]!.ticket_id!), world.caseOf(rows[2]!.ticket_id!)]);
    expect(two.ticket.number).toBeGreaterThan(one.ticket.number); // numbered in arrival order
    expect(one.messages.map((message) => [message.id, message.body])).toEqual([[rows[0]!.created_message_id, 'Our export fails since this morning.']]);
    const { ticket, messages } = await world.caseOf(caseId);
    expect(ticket.status).toBe('open');
    expect(messages.map((message) => message.body)).toEqual(['Our export fails since this morning.', 'Still wrong in March.', 'And in April.', 'May too.']);
    expect(messages.slice(1).map((message) => message.id)).toEqual([rows[1]!.created_message_id, rows[3]!.created_message_id, rows[5]!.created_message_id]);
    const timeline = (await call(t.app, world.agentToken, 'GET', `/api/v1/tickets/${caseId}/timeline`)).json() as { items: { action: string; changes: Record<string, unknown> }[] };
    const replies = timeline.items.filter((entry) => entry.action === 'reply.added');
    expect(replies.map((entry) => entry.changes.status ?? null)).toEqual([{ before: 'solved', after: 'open' }, null, null]);
    const events = await t.database.db.selectFrom('outbox').select('payload').where('topic', '=', 'ticket.message-added').execute();
    const ofCase = events.map((event) => event.payload as { ticketId: string; status: string; inboundMailId: string }).filter((payload) => payload.ticketId === caseId);
    expect(ofCase.map((payload) => [payload.inboundMailId, payload.status])).toEqual([
      [ids[1], 'open'],
      [ids[3], 'open'],
      [ids[5], 'open'],
    ]);
  });

  it('a mail taken along that fails keeps its error for its own event and holds back none of the others', async () => {
    const crashing: FileStore = { ...t.files, put: async () => Promise.reject(new Error('disk gone')) };
    const plain = await accept(rawMail({ from: 'first@fine-batch.test', subject: 'Batch: fine one' }));
    const withFile = await accept(
      Buffer.from(
        ['From: filer@files-batch.test', 'To: support@casebook.test', 'Subject: Batch: with file', `Message-ID: <${newMessageId()}>`, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="x"', '', '--x', 'Content-Type: text/plain', '', 'See attached.', '--x', 'Content-Type: application/pdf; name="report.pdf"', 'Content-Disposition: attachment; filename="report.pdf"', 'Content-Transfer-Encoding: base64', '', Buffer.from('%PDF-1.4 test').toString('base64'), '--x--', ''].join('\r\n'),
      ),
    );
    const after = await accept(rawMail({ from: 'second@fine-batch.test', subject: 'Batch: fine two' }));
    const deps = { database: t.database, files: crashing, config: config() };

    // Only the mail with a file needs the file store: the others are processed, it waits with its error.
    expect(await processInboundMailBatch(deps, plain, { mailsPerCommit: 8 })).toMatchObject({ state: 'processed' });
    expect(await world.inbound(after)).toMatchObject({ state: 'processed' });
    expect(await world.inbound(withFile)).toMatchObject({ state: 'received', ticket_id: null, last_error: 'disk gone' });
    // Later events do not take a failed mail along again (its own event and backoff retry it)...
    const bystander = await accept(rawMail({ from: 'third@fine-batch.test', subject: 'Batch: fine three' }));
    await processInboundMailBatch(deps, bystander);
    expect(await world.inbound(withFile)).toMatchObject({ state: 'received', last_error: 'disk gone' });
    // ...its own event fails while the disk is gone, and succeeds once it is back.
    await expect(processInboundMailBatch(deps, withFile)).rejects.toThrow('disk gone');
    expect(await processInboundMailBatch({ ...deps, files: t.files }, withFile)).toMatchObject({ state: 'processed' });
    const { messages } = await world.caseOf((await world.inbound(withFile)).ticket_id!);
    expect(messages[0]!.attachments).toEqual([expect.objectContaining({ filename: 'report.pdf' })]);
  });

  it('opens exactly one case per mail when several events (several nodes) process overlapping batches at once', async () => {
    const before = await world.ticketCount();
    const ids: string[] = [];
    for (let index = 0; index < 12; index += 1) ids.push(await accept(rawMail({ from: `parallel${index}@race-batch.test`, subject: `Batch race ${index}` })));
    const deps = { database: t.database, files: t.files, config: config() };
    await Promise.all(ids.map((id) => processInboundMailBatch(deps, id, { lanes: 2, mailsPerCommit: 3 })));
    const rows = await Promise.all(ids.map((id) => world.inbound(id)));
    expect(rows.every((row) => row.state === 'processed')).toBe(true);
    expect(new Set(rows.map((row) => row.ticket_id)).size).toBe(12);
    expect(await world.ticketCount()).toBe(before + 12);
  });
});

describe('SMTP group commit and the mailbox directory', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('stores mails finishing together in one commit; one the database refuses fails alone', async () => {
    const store = groupCommitter(t.database.db);
    const mailbox = await t.database.db.insertInto('mailboxes').values({ address: `group-${randomUUID()}@casebook.test` }).returning('id').executeTakeFirstOrThrow();
    const raws = Array.from({ length: 5 }, (_, index) => rawMail({ from: `group${index}@group-commit.test`, subject: `Group ${index}` }));
    // The first commit starts at once; the four finishing meanwhile share the next, where one names a mailbox that does not exist.
    const results = await Promise.allSettled(
      raws.map((raw, index) => store({ raw, source: 'smtp', mailboxId: index === 3 ? randomUUID() : mailbox.id, envelopeTo: [] })),
    );
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const stored = await t.database.db.selectFrom('inbound_mails').select(['id', 'raw']).where('mailbox_id', '=', mailbox.id).execute();
    expect(stored).toHaveLength(4);
    const events = await t.database.db.selectFrom('outbox').select('payload').where('topic', '=', 'mail.received').execute();
    const queued = new Set(events.map((event) => (event.payload as { inboundMailId: string }).inboundMailId));
    expect(stored.every((row) => queued.has(row.id))).toBe(true);
    // The same message twice in one commit is stored once.
    const [one, two] = await Promise.all([store({ raw: raws[0]!, source: 'smtp', mailboxId: mailbox.id }), store({ raw: raws[0]!, source: 'smtp', mailboxId: mailbox.id })]);
    expect(one).toEqual({ id: (results[0] as PromiseFulfilledResult<{ id: string }>).value.id, duplicate: true });
    expect(two).toEqual(one);
  });

  it('finds a mailbox another node created a moment ago, although this node holds the mailbox list in memory', async () => {
    const address = `fresh-${randomUUID()}@casebook.test`;
    expect(await findMailboxForRecipients(t.database.db, [address])).toBeUndefined();
    // Another app node (same database) adds the mailbox: this node's copy does not know it yet.
    await t.database.db.insertInto('mailboxes').values({ address }).execute();
    expect((await findMailboxForRecipients(t.database.db, [address.replace('@', '+abc@')]))?.address).toBe(address);
  });
});
