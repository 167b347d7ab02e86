import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImapPoller, type ImapPoller, type ImapPollerOptions } from '../../src/channels/imap-poller.ts';
import type { FolderSyncResult } from '../../src/channels/imap-folder-sync.ts';
import { buildEventHandlers, startBackgroundJobs } from '../../src/jobs/background.ts';
import { startOutboxProcessor } from '../../src/platform/outbox/processor.ts';
import { hasDovecot, startDovecot, type DovecotServer } from '../support/dovecot-server.ts';
import { call, createTestApp, factories, unique, type TestApp } from '../support/test-app.ts';

// vitest.config.ts leaves this file out where Dovecot is missing (never in CI); run by hand there, it fails loudly.
if (!hasDovecot()) throw new Error('No Dovecot IMAP server (/usr/sbin/dovecot, /usr/lib/dovecot/imap): install dovecot-imapd to run the IMAP tests.');

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A plain customer mail with its own Message-ID. */
function customerMail(subject: string, messageId = `${randomUUID()}@customer.example`, from = 'Nina Customer <nina@customer.example>'): { raw: string; messageId: string } {
  const raw = [
    `From: ${from}`,
    'To: support@casebook.test',
    `Subject: ${subject}`,
    `Message-ID: <${messageId}>`,
    'Date: Mon, 23 Nov 2026 09:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Hello, ${subject}. Merci d'avance !`,
    '',
  ].join('\r\n');
  return { raw, messageId };
}

describe('IMAP intake from a real Dovecot', () => {
  let t: TestApp;
  let dovecot: DovecotServer;
  const pollers: ImapPoller[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await Promise.all(pollers.map((poller) => poller.stop()));
    await dovecot?.dispose();
    await t?.close();
  });

  /** A mailbox polling `folder` of the test user; the previous tests' mailboxes are deactivated so each poller sees one. */
  const addMailbox = async (folder: string) => {
    await t.database.db.updateTable('mailboxes').set({ is_active: false }).execute();
    if (folder !== 'INBOX') await dovecot.createFolder(folder);
    return t.database.db
      .insertInto('mailboxes')
      .values({ address: `${unique('support')}@casebook.test`, imap_url: dovecot.imapUrl(folder), updated_at: new Date() })
      .returning(['id', 'address'])
      .executeTakeFirstOrThrow();
  };

  const startPoller = (options: Partial<ImapPollerOptions> & { syncs?: FolderSyncResult[]; errors?: unknown[] } = {}) => {
    const { syncs, errors, ...rest } = options;
    const poller = startImapPoller(t.database.db, {
      pollSeconds: 300, // far beyond every wait below: new mail must come in through IDLE
      backoff: { minMs: 100, maxMs: 1_000 },
      onSync: (result) => syncs?.push(result),
      onError: (error) => errors?.push(error),
      ...rest,
    });
    pollers.push(poller);
    return poller;
  };

  const stopPoller = async (poller: ImapPoller) => {
    await poller.stop();
    pollers.splice(pollers.indexOf(poller), 1);
  };

  const storedRows = (mailboxId: string) =>
    t.database.db
      .selectFrom('inbound_mails')
      .select(['message_id', 'source', 'mailbox_id', 'envelope_to'])
      .where('mailbox_id', '=', mailboxId)
      .orderBy('received_at')
      .execute();

  const storedIds = async (mailboxId: string) => (await storedRows(mailboxId)).map((row) => row.message_id);

  it('stores every delivered mail exactly once, flags it \\Seen only once stored, and a restarted poller re-reads nothing', async () => {
    const mailbox = await addMailbox('INBOX');
    const delivered = new Map<number, string>();
    for (let n = 1; n <= 20; n++) {
      const mail = customerMail(`printer ${n} is on fire`);
      delivered.set(await dovecot.deliver(mail.raw), mail.messageId);
    }
    const syncs: FolderSyncResult[] = [];
    const first = startPoller({ syncs });
    // While the poller works, a message the server shows as \Seen is always already in the raw store.
    await waitFor('20 stored mails', async () => {
      const flags = await dovecot.flags();
      const stored = new Set(await storedIds(mailbox.id));
      for (const [uid, messageFlags] of flags) {
        if (messageFlags.has('\\Seen')) expect(stored.has(delivered.get(uid)!), `UID ${uid} flagged before it was stored`).toBe(true);
      }
      return stored.size === 20;
    });

    const rows = await storedRows(mailbox.id);
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((row) => row.message_id))).toEqual(new Set(delivered.values()));
    for (const row of rows) expect(row).toMatchObject({ source: 'imap', mailbox_id: mailbox.id, envelope_to: [mailbox.address] });
    const flags = await waitFor('every message flagged', async () => {
      const current = await dovecot.flags();
      return [...current.values()].every((messageFlags) => messageFlags.has('\\Seen')) && current;
    });
    expect([...flags.keys()].sort((a, b) => a - b)).toEqual([...delivered.keys()]);
    const state = await t.database.db.selectFrom('mailbox_imap_state').selectAll().where('mailbox_id', '=', mailbox.id).executeTakeFirstOrThrow();
    expect(state.folder).toBe('INBOX');
    expect(Number(state.last_uid)).toBe(Math.max(...delivered.keys()));
    expect(syncs.reduce((sum, sync) => sum + sync.fetched, 0)).toBe(20);

    // A restart (a new poller, as after a redeploy) continues after the last stored UID.
    await stopPoller(first);
    const afterRestart: FolderSyncResult[] = [];
    const second = startPoller({ syncs: afterRestart });
    await waitFor('a pass of the restarted poller', () => afterRestart.length > 0);
    expect(afterRestart[0]).toMatchObject({ fetched: 0, stored: 0 });
    const late = customerMail('one more after the restart');
    await dovecot.deliver(late.raw);
    await waitFor('the late mail', async () => (await storedIds(mailbox.id)).includes(late.messageId));
    await waitFor('the pass that fetched it', () => afterRestart.reduce((sum, sync) => sum + sync.fetched, 0) >= 1);
    expect(afterRestart.reduce((sum, sync) => sum + sync.fetched, 0)).toBe(1);
    expect(await storedIds(mailbox.id)).toHaveLength(21);
    await stopPoller(second);
  });

  it('on its first connection takes only the unread mail, not the read history; afterwards every new mail', async () => {
    const mailbox = await addMailbox('History');
    const history = [customerMail('answered last year'), customerMail('read by the team yesterday')];
    for (const mail of history) await dovecot.deliver(mail.raw, 'History', ['\\Seen']);
    const unread = customerMail('still waiting for an answer');
    await dovecot.deliver(unread.raw, 'History');
    const syncs: FolderSyncResult[] = [];
    startPoller({ syncs });
    await waitFor('the first pass', () => syncs.length > 0);
    expect(await storedIds(mailbox.id)).toEqual([unread.messageId]);
    const state = await t.database.db.selectFrom('mailbox_imap_state').selectAll().where('mailbox_id', '=', mailbox.id).executeTakeFirstOrThrow();
    expect(Number(state.last_uid)).toBe(3);
    // Once connected, a new mail is taken even if someone already read it in their mail client.
    const readElsewhere = customerMail('opened on a phone before Casebook saw it');
    await dovecot.deliver(readElsewhere.raw, 'History', ['\\Seen']);
    await waitFor('the new mail', async () => (await storedIds(mailbox.id)).includes(readElsewhere.messageId));
    expect(await storedIds(mailbox.id)).toEqual([unread.messageId, readElsewhere.messageId]);
  });

  it('leaves a message over the size limit unread on the server, without downloading it, and carries on', async () => {
    const mailbox = await addMailbox('Big');
    const big = customerMail('a huge log file pasted inline');
    const bigUid = await dovecot.deliver(big.raw.replace('Hello,', `Hello,\r\n${'log line 0123456789 abcdefghij\r\n'.repeat(400)}`), 'Big');
    const small = customerMail('a short question');
    await dovecot.deliver(small.raw, 'Big');
    const syncs: FolderSyncResult[] = [];
    startPoller({ syncs, maxBytes: 4_000 });
    await waitFor('the small mail', async () => (await storedIds(mailbox.id)).includes(small.messageId));
    // A pass reports when it ends, after the commit of the mail it stored.
    await waitFor('the pass that stored it', () => syncs.some((sync) => sync.fetched > 0));
    expect(await storedIds(mailbox.id)).toEqual([small.messageId]);
    expect(syncs.reduce((sum, sync) => sum + sync.tooLarge, 0)).toBe(1);
    expect((await dovecot.flags('Big')).get(bigUid)?.has('\\Seen')).toBe(false);
  });

  it('picks up mail delivered while it waits in IDLE, long before the poll interval', async () => {
    const mailbox = await addMailbox('Idle');
    const poller = startPoller();
    const status = await waitFor('the poller idling', () => poller.status().find((entry) => entry.mailboxId === mailbox.id && entry.state === 'idle' && entry.lastSyncAt));
    expect(status.usesIdle).toBe(true);
    await sleep(300);
    const mail = customerMail('urgent: login broken');
    const deliveredAt = Date.now();
    await dovecot.deliver(mail.raw, 'Idle');
    await waitFor('the mail announced through IDLE', async () => (await storedIds(mailbox.id)).includes(mail.messageId), 10_000);
    // The poll interval is 300 s: only the server's IDLE notification can explain this.
    expect(Date.now() - deliveredAt).toBeLessThan(10_000);
    await waitFor('the mail flagged \\Seen', async () => (await dovecot.flags('Idle')).get(1)?.has('\\Seen'), 5_000);
    await stopPoller(poller);
  });

  it('re-reads a folder whose UIDVALIDITY changed: nothing lost, nothing stored twice', async () => {
    const mailbox = await addMailbox('Reset');
    const errors: unknown[] = [];
    // Dovecot says nothing to a session idling in a folder that gets deleted: the periodic pass finds the new one.
    const poller = startPoller({ errors, pollSeconds: 1 });
    const before = [customerMail('reset one'), customerMail('reset two'), customerMail('reset three')];
    for (const mail of before) await dovecot.deliver(mail.raw, 'Reset');
    const imapState = () => t.database.db.selectFrom('mailbox_imap_state').selectAll().where('mailbox_id', '=', mailbox.id).executeTakeFirstOrThrow();
    await waitFor('3 stored mails', async () => (await storedIds(mailbox.id)).length === 3);
    // last_uid moves right after each durable store.
    const oldState = await waitFor('last_uid at 3', async () => {
      const state = await imapState();
      return Number(state.last_uid) === 3 && state;
    });

    // The folder is recreated (a restore, a server migration): new UIDVALIDITY, UIDs start at 1 again.
    await dovecot.deleteFolder('Reset');
    await dovecot.createFolder('Reset');
    const fresh = customerMail('arrived after the reset');
    for (const raw of [before[0]!.raw, before[1]!.raw, fresh.raw]) await dovecot.deliver(raw, 'Reset');

    // UID 3 of the new folder is at or below the old last_uid: only the UIDVALIDITY check finds it.
    await waitFor('the mail of the new folder', async () => (await storedIds(mailbox.id)).includes(fresh.messageId));
    const ids = await storedIds(mailbox.id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids)).toEqual(new Set([...before, fresh].map((mail) => mail.messageId)));
    await waitFor('the re-read messages flagged', async () => {
      const flags = await dovecot.flags('Reset');
      return flags.size === 3 && [...flags.values()].every((messageFlags) => messageFlags.has('\\Seen'));
    });
    const newState = await imapState();
    expect(String(newState.uid_validity)).not.toBe(String(oldState.uid_validity));
    expect(Number(newState.last_uid)).toBe(3);
    await stopPoller(poller);
  });

  it('keeps retrying while Dovecot is down and recovers when it is back, the server answering all along', async () => {
    const mailbox = await addMailbox('Outage');
    const errors: unknown[] = [];
    const poller = startPoller({ errors });
    await waitFor('the poller idling', () => poller.status().find((entry) => entry.mailboxId === mailbox.id && entry.state === 'idle'));

    await dovecot.stop();
    const down = await waitFor('several failed attempts', () => poller.status().find((entry) => entry.mailboxId === mailbox.id && entry.failures >= 3));
    expect(down.lastError).toBeTruthy();
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);

    await dovecot.start();
    const mail = customerMail('sent while the mail server was down');
    await dovecot.deliver(mail.raw, 'Outage');
    await waitFor('the mail after the outage', async () => (await storedIds(mailbox.id)).includes(mail.messageId));
    await waitFor('a healthy connection', () => poller.status().find((entry) => entry.mailboxId === mailbox.id && entry.failures === 0 && entry.state === 'idle'));
    await stopPoller(poller);
  });

  it('lets one app node poll a mailbox at a time; another takes over when it stops', async () => {
    const mailbox = await addMailbox('Shared');
    const syncsA: FolderSyncResult[] = [];
    const syncsB: FolderSyncResult[] = [];
    const nodeA = startPoller({ holder: 'node-a', leaseSeconds: 3, syncs: syncsA });
    await waitFor('node A idling', () => nodeA.status().find((entry) => entry.state === 'idle'));
    const nodeB = startPoller({ holder: 'node-b', leaseSeconds: 3, syncs: syncsB });
    await waitFor('node B standing by', () => nodeB.status().find((entry) => entry.state === 'standby'));

    const mails = [customerMail('shared one'), customerMail('shared two'), customerMail('shared three')];
    for (const mail of mails) await dovecot.deliver(mail.raw, 'Shared');
    await waitFor('3 stored mails', async () => (await storedIds(mailbox.id)).length === 3);
    await sleep(1_500); // node B looked at the lease again meanwhile
    expect(nodeB.status()[0]?.state).toBe('standby');
    expect(syncsB).toHaveLength(0);
    expect(syncsA.reduce((sum, sync) => sum + sync.fetched, 0)).toBe(3);
    const lease = await t.database.db.selectFrom('mailbox_imap_leases').selectAll().where('mailbox_id', '=', mailbox.id).executeTakeFirstOrThrow();
    expect(lease.holder).toBe('node-a');

    await stopPoller(nodeA);
    await waitFor('node B taking over', () => nodeB.status().find((entry) => entry.state === 'idle'));
    const after = customerMail('after the handover');
    await dovecot.deliver(after.raw, 'Shared');
    await waitFor('the mail after the handover', async () => (await storedIds(mailbox.id)).includes(after.messageId));
    await waitFor('node B fetching it', () => syncsB.some((sync) => sync.fetched > 0));
    expect(syncsB.reduce((sum, sync) => sum + sync.fetched, 0)).toBe(1);
    expect(await storedIds(mailbox.id)).toHaveLength(4);
    await stopPoller(nodeB);
  });

  it('starts with the background jobs and picks up a mailbox added while it runs', async () => {
    const mailbox = await addMailbox('Jobs');
    const jobs = startBackgroundJobs({ database: t.database, files: t.files, config: { ...t.config, imapPollSeconds: 300 } });
    try {
      const poller = jobs.find((job) => job.name === 'imap-poller') as ImapPoller | undefined;
      expect(poller).toBeDefined();
      const mail = customerMail('through the background jobs');
      await dovecot.deliver(mail.raw, 'Jobs');
      await waitFor('the mail', async () => (await storedIds(mailbox.id)).includes(mail.messageId));

      // A mailbox added later (the list is read again every 30 s; refresh() does it now).
      const later = await addMailbox('Later');
      await poller!.refresh();
      const laterMail = customerMail('to the mailbox added later');
      await dovecot.deliver(laterMail.raw, 'Later');
      await waitFor('the later mailbox mail', async () => (await storedIds(later.id)).includes(laterMail.messageId));
      // The deactivated mailbox's connection was let go.
      expect(poller!.status().map((entry) => entry.mailboxId)).toEqual([later.id]);
    } finally {
      await Promise.all(jobs.map((job) => job.stop()));
    }
  });

  it('turns a mail read over IMAP into a case an agent sees (the whole intake with the outbox)', async () => {
    const mailbox = await addMailbox('Intake');
    const deps = { database: t.database, files: t.files, config: { ...t.config, imapPollSeconds: 300 } };
    const processor = startOutboxProcessor(t.database, buildEventHandlers(deps, t.realtime));
    const jobs = startBackgroundJobs(deps);
    try {
      const mail = customerMail('VPN drops every hour', undefined, `Gary Globex <${unique('gary')}@globex.example>`);
      await dovecot.deliver(mail.raw, 'Intake');
      const row = await waitFor(
        'the case opened from the mail',
        () => t.database.db.selectFrom('inbound_mails').select(['ticket_id', 'state']).where('mailbox_id', '=', mailbox.id).where('ticket_id', 'is not', null).executeTakeFirst(),
        60_000,
      );
      expect(row.state).toBe('processed');
      const agent = await factories(t.database).agent();
      const response = await call(t.app, await factories(t.database).token(agent), 'GET', `/api/v1/tickets/${row.ticket_id}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ subject: 'VPN drops every hour' });
    } finally {
      await Promise.all(jobs.map((job) => job.stop()));
      await processor.stop();
    }
  }, 90_000);
});
