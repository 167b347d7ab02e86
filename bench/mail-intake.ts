import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Session } from 'node:inspector/promises';
import { Worker } from 'node:worker_threads';
import { cpus, loadavg, totalmem } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { startPostgres } from '../test/support/postgres-server.ts';
import { analyzeAfterLoad, bulkLoad } from './bulk-load.ts';
import { startCasebook } from './casebook.ts';
import { drainOutbox, statementCounter } from './counters.ts';
import { prepareRawTable, runPgbench } from './pgbench.ts';
import { machineInfo, progressBar, trackCpu, waitForQuiet } from './system.ts';

/**
 * `node bin/run-ts.js bench/mail-intake.ts` (also run by `npm run bench`): inbound e-mail throughput
 * on PostgreSQL. A throwaway server holds MAIL_BENCH_CASES (default 100k) existing cases; a real
 * Casebook server (SMTP listener + outbox processing) receives, over real SMTP connections
 * (nodemailer, MAIL_BENCH_CONNECTIONS in parallel, default 8), MAIL_BENCH_MAILS mails (default 3000):
 * 70 % new requests from known contacts, 30 % replies into existing cases (case number in the subject
 * plus In-Reply-To), so every mail goes through the threading lookups. Measures the SMTP accept
 * latency (DATA sent → 250), accepted mails/s, and mails/s from the first accept to the last mail
 * turned into a case or message. Baseline in the same run: pgbench one-row INSERT at 8 clients.
 * Writes its section of bench/RESULTS.md between the mail-intake markers.
 */
const caseCount = Number(process.env.MAIL_BENCH_CASES ?? 100_000);
const mailCount = Number(process.env.MAIL_BENCH_MAILS ?? 3000);
const connections = Number(process.env.MAIL_BENCH_CONNECTIONS ?? 8);
const pgbenchSeconds = Number(process.env.MAIL_BENCH_PGBENCH_SECONDS ?? 10);
/** MAIL_BENCH_SQL_LOG=1 prints the statements run per mail, grouped by their text (for finding round trips). */
const logStatements = process.env.MAIL_BENCH_SQL_LOG === '1';
const resultsPath = new URL('./RESULTS.md', import.meta.url);
const START = '<!-- mail-intake:start -->';
const END = '<!-- mail-intake:end -->';
const MAILBOX = 'support@bench.casebook.test';
const log = (line: string) => process.stderr.write(`[mail-bench] ${line}\n`);

type Thread = { number: number; email: string };

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const fmt = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function rawMail(index: number, from: string, reply: Thread | null, now: Date): string {
  const subject = reply ? `Re: [#${reply.number}] Still failing after the workaround` : `Export ${index} to CSV times out since this morning`;
  const body = reply
    ? `Hello,\n\nwe tried the workaround but the export ${index} still fails after 30 s.\n\nRegards\n\nOn Mon, Nov 23, 2026 at 9:00 AM Support <${MAILBOX}> wrote:\n> Could you try again with a smaller date range?\n> Thanks\n`
    : `Hello support,\n\nsince this morning the nightly export ${index} fails after 30 seconds.\nSteps: open Reports, choose CSV, export.\n\nThanks,\nThe customer\n`;
  return [
    `From: Customer ${index} <${from}>`,
    `To: Support <${MAILBOX}>`,
    `Subject: ${subject}`,
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <bench-${index}-${now.getTime()}@customer.bench.test>`,
    ...(reply ? [`In-Reply-To: <case-${reply.number}@elsewhere.bench.test>`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    body,
  ].join('\r\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const machine = machineInfo();
  log(`starting PostgreSQL (MAIL_BENCH_CASES=${caseCount}, MAIL_BENCH_MAILS=${mailCount}, MAIL_BENCH_CONNECTIONS=${connections})`);
  const server = await startPostgres();
  try {
    await prepareRawTable(server);
    const admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query('create database casebook').finally(() => admin.end());
    const app = await startCasebook({ databaseUrl: server.url('casebook'), env: { CASEBOOK_SMTP_LISTEN: '127.0.0.1:0' } });
    try {
      if (!app.smtpPort) throw new Error('the SMTP listener did not start');
      const db = app.database.db;
      const bar = progressBar('existing cases', caseCount);
      await bulkLoad(app.database, { cases: caseCount, extraAgentIds: [app.agentId], contactsPerOrganization: 10, onProgress: (done) => bar.update(done) });
      bar.finish(caseCount);
      await sql`insert into mailboxes (address, name) values (${MAILBOX}, 'Bench support')`.execute(db);
      await analyzeAfterLoad(app.database);
      // Replies come from each case's own requester (they thread); new mails from known contacts.
      const threads = (
        await sql<Thread>`select t.number, u.email from tickets t join users u on u.id = t.requester_id where t.is_open order by t.number desc limit 5000`.execute(db)
      ).rows;
      const contacts = (await sql<{ email: string }>`select email from users where kind = 'contact' order by email`.execute(db)).rows.map((row) => row.email);
      log(`${threads.length} threads to reply into, ${contacts.length} known contacts`);

      await waitForQuiet(20, 0.3, server.port);
      const baseline = await runPgbench(server, 8, 2, pgbenchSeconds);
      log(`pgbench one-row INSERT c8: ${fmt(baseline.tps)} TPS`);

      const now = new Date();
      const mails = Array.from({ length: mailCount }, (_, index) => {
        const reply = index % 10 < 3 ? threads[index % threads.length]! : null;
        const from = reply ? reply.email : contacts[(index * 7919) % contacts.length]!;
        return { from, raw: rawMail(index, from, reply, now) };
      });
      const load = loadavg()[0]!;
      const counter = statementCounter(app.database);
      const statementLog = statementBreakdown();
      const profiler = process.env.MAIL_BENCH_CPU_PROFILE ? await startProfiler() : undefined;
      const intakeCpu = trackCpu(server.port);
      const serverThreadBefore = process.threadCpuUsage();
      const wholeCpu = trackCpu(server.port);
      const loopDelay = monitorEventLoopDelay({ resolution: 5 });
      loopDelay.enable();
      const sendStarted = performance.now();
      const sent = await sendMails(app.smtpPort, mails);
      const { latencies, failures } = sent;
      const acceptSeconds = (performance.now() - sendStarted) / 1000;
      loopDelay.disable();
      log(`server event loop delay while accepting: p50 ${fmt(loopDelay.percentile(50) / 1e6, 1)} ms, p99 ${fmt(loopDelay.percentile(99) / 1e6, 1)} ms, max ${fmt(loopDelay.max / 1e6, 1)} ms`);
      app.wakeOutbox();
      let pending = mailCount;
      const deadline = Date.now() + 15 * 60_000;
      while (Date.now() < deadline) {
        pending = Number((await sql<{ n: string }>`select count(*) as n from inbound_mails where state = 'received'`.execute(db)).rows[0]!.n);
        if (pending === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const endToEndSeconds = (performance.now() - sendStarted) / 1000;
      const statementsAtEnd = counter.count();
      const intake = intakeCpu.stop();
      if (profiler) await profiler.stop(process.env.MAIL_BENCH_CPU_PROFILE!);
      const serverThread = process.threadCpuUsage(serverThreadBefore);
      const serverThreadMs = (serverThread.user + serverThread.system) / 1000;
      log(`server thread CPU to the last mail processed: ${fmt(serverThreadMs / mailCount, 2)} ms per mail; sender worker ${fmt(sent.senderCpuMs / mailCount, 2)} ms per mail`);
      const byKind = statementLog.byKind(); // up to the last mail processed (the new cases' events mostly come after)
      if (logStatements) statementLog.print(mailCount);
      // The new cases' own events (routing, SLA clock, acknowledgement, realtime) are handled after the
      // intake has moved on: how long until the whole outbox is empty.
      const drained = await drainOutbox(app.database, 100);
      const drainedSeconds = (performance.now() - sendStarted) / 1000;
      const whole = wholeCpu.stop();
      const perMail = (seconds: number) => fmt((1000 * seconds) / mailCount, 2);
      log(`CPU per mail to the last mail processed: Casebook ${perMail(intake.processSeconds)} ms, PostgreSQL ${perMail(intake.postgresSeconds)} ms, other jobs ${perMail(intake.otherSeconds)} ms; server thread busy ${fmt(100 * intake.serverElu)} %`);
      log(`CPU per mail with the new cases' events: Casebook ${perMail(whole.processSeconds)} ms, PostgreSQL ${perMail(whole.postgresSeconds)} ms, other jobs ${perMail(whole.otherSeconds)} ms`);
      const statements = counter.count();
      counter.restore();
      const states = (await sql<{ state: string; n: string }>`select state, count(*) as n from inbound_mails group by state order by state`.execute(db)).rows;
      const actions = (
        await sql<{ action: string; n: string }>`select coalesce(outcome ->> 'action', state) as action, count(*) as n from inbound_mails group by 1 order by 2 desc`.execute(db)
      ).rows;
      latencies.sort((a, b) => a - b);
      const processed = mailCount - failures - pending;
      const perSecond = processed / endToEndSeconds;
      const rt = (count: number) => fmt(count / mailCount, 1);
      const serverMs = serverThreadMs / mailCount;
      const senderMs = Number.isNaN(sent.senderCpuMs) ? 0 : sent.senderCpuMs / mailCount; // inline: counted in the server thread
      const postgresMs = (1000 * intake.postgresSeconds) / mailCount;
      const coresAt200 = ((serverMs + senderMs + postgresMs) * 200) / 1000;
      const eventsPerCase = (statements - statementsAtEnd) / Math.max(1, processed);
      const where = `Where the time goes (CPU per mail up to the last mail processed): the server's JavaScript thread ${fmt(serverMs, 2)} ms (it was ${fmt(100 * intake.serverElu)} % busy, so SMTP replies waited for it), ${process.env.MAIL_BENCH_SENDER === 'inline' ? 'the sender on that same thread' : `the sending worker ${fmt(senderMs, 2)} ms`}, PostgreSQL ${fmt(postgresMs, 2)} ms, other jobs on the machine ${perMail(intake.otherSeconds)} ms. At 200 mails/s the server thread alone would need ${fmt(serverMs / 5, 2)} of a core and server + sender + PostgreSQL ${fmt(coresAt200, 2)} of the 2 cores, before any other job. Of the ${rt(statementsAtEnd)} round trips per mail, ${rt(byKind.case)} are the cases and messages themselves (src/domain/tickets — per commit, the new cases: one insert for all, which checks their requesters itself; the replies: their cases locked together, one insert for all) and ${rt(byKind.accept + byKind.processing + byKind.transaction)} are intake (accept, locks + lookups, outcomes, batch reading, transaction control).`;
      const verdict = `${perSecond >= 200 ? 'met in this run' : 'not met in this run'}. ${where}`;
      const section = `${START}
## Inbound e-mail: SMTP accept → case (\`bench/mail-intake.ts\`)

Run ${new Date().toISOString()} in ${fmt((performance.now() - started) / 1000)} s. Machine: ${machine.cpuModel}, ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30, 1)} GiB; Node ${process.version}; PostgreSQL (throwaway initdb, default settings); 1-minute load average ${fmt(load, 1)} when sending began (other jobs share this machine).

${fmt(mailCount)} mails over ${connections} SMTP connections to the built-in listener, with ${fmt(caseCount)} existing cases: 70 % new requests from known contacts, 30 % replies into existing open cases (\`[#number]\` in the subject, In-Reply-To unknown to us, so every reply runs the threading lookups). The sender (nodemailer, each connection sending its next mail once the previous one got its answer) runs in a worker thread of the bench process${process.env.MAIL_BENCH_SENDER === 'inline' ? ' — not in this run: MAIL_BENCH_SENDER=inline put it on the server thread' : ', standing in for the MTA, which is another process'}. ${
        senderNagle
          ? 'Its sockets use Nagle\'s algorithm in this run (MAIL_BENCH_SENDER_NAGLE=1): nodemailer writes the end of DATA apart from the message, that write waits for the server\'s delayed ACK (40 ms), and 8 connections cannot send more than about 155 mails/s whatever the server does.'
          : 'Its sockets have TCP_NODELAY: nodemailer writes the end of DATA (`.`) apart from the message, and with Nagle\'s algorithm that write waited for the server\'s delayed ACK (40 ms on Linux) — runs before 2026-11-23 12:15 had that stall in every transaction, which capped 8 connections at about 155 mails/s whatever the server did (MAIL_BENCH_SENDER_NAGLE=1 sends that way again).'
      }

How intake works: the listener answers \`RCPT TO\` from an in-memory mailbox list (read again every 10 s, at once after a change on this node; an address it does not know is looked up in the database). Messages that finish while a commit is under way are committed together in the next one (group commit): one statement stores their raw bytes and their \`mail.received\` events, and each \`250\` is sent only after the commit that holds its mail. Each \`mail.received\` event processes its mail and the mails waiting behind it (up to 32, parsed once): they are spread over 2 lanes — mails of one sender, or referring to one another, share a lane in arrival order — and a lane commits up to 8 mails per transaction, each decided as alone. In a commit, consecutive mails that share no sender, Message-ID or Thread-Index root are locked and looked up in one statement (Message-ID seen, sender, reply token, In-Reply-To/References, case number, Thread-Index, the sender's recent cases), and the cases their replies point at are locked in one more; their writes wait until a mail that may read them comes, or the commit ends, and then go one statement each: the new cases with their first messages, audit rows and events (after one read of the requesters), the replies with their case updates, audit rows and events, the outcomes with their Message-IDs. If anything fails, those mails are taken again one per transaction. The new cases' own events (routing, SLA clock, acknowledgement, realtime) wait in the outbox behind the mail events.

| measure | value |
|---|---|
| accepted (250) | ${fmt(latencies.length)} (${fmt(failures)} refused or failed) |
| accept rate | ${fmt(latencies.length / acceptSeconds)} mails/s over ${fmt(acceptSeconds, 1)} s |
| accept latency p50 / p99 / max (SMTP transaction, MAIL FROM to 250) | ${fmt(percentile(latencies, 50), 1)} / **${fmt(percentile(latencies, 99), 1)}** / ${fmt(latencies.at(-1) ?? 0, 1)} ms |
| **accept → case or message, end to end** | **${fmt(perSecond)} mails/s** (${fmt(processed)} mails in ${fmt(endToEndSeconds, 1)} s; ${fmt(pending)} still waiting at the end) |
| outcome | states: ${states.map((row) => `${row.state} ${fmt(Number(row.n))}`).join(', ')}; actions: ${actions.map((row) => `${row.action} ${fmt(Number(row.n))}`).join(', ')} |
| database round trips per mail up to the last mail processed | ${rt(statementsAtEnd)}: accept ${rt(byKind.accept)}, mail processing ${rt(byKind.processing)}, begin/commit ${rt(byKind.transaction)}, the case or message (and the few events handled meanwhile) ${rt(byKind.case)}, realtime ${rt(byKind.realtime)} |
| the new cases' own events handled too (outbox empty) | ${fmt(drainedSeconds, 1)} s after the first mail (${fmt(drained.backlog)} events were waiting when the last mail was processed; about ${fmt(eventsPerCase, 0)} round trips per mail) → ${fmt(processed / drainedSeconds)} mails/s sustained |
| CPU per mail up to the last mail processed: server thread / sending worker / PostgreSQL / other jobs on the machine | ${fmt(serverMs, 2)} / ${fmt(senderMs, 2)} / ${fmt(postgresMs, 2)} / ${perMail(intake.otherSeconds)} ms |
| CPU per mail with the new cases' events: Casebook process / PostgreSQL / other jobs | ${perMail(whole.processSeconds)} / ${perMail(whole.postgresSeconds)} / ${perMail(whole.otherSeconds)} ms |
| baseline: pgbench one-row INSERT, 8 clients | ${fmt(baseline.tps)} TPS → mails/s is ${fmt((100 * perSecond) / baseline.tps, 1)} % of it |

Before this design (2026-11-23 07:05, same machine, sender on the server thread): 73 mails/s end to end, accept 156 mails/s, p99 accept 78 ms, about 41 round trips per mail (accept 5, processing about 20 — one statement per question — and the new cases' events interleaved with the mails). This design with the sender on the server thread (MAIL_BENCH_SENDER=inline, 08:35, load 1.8): 141 mails/s end to end, p99 accept 100 ms — moving the sender to a worker is not what changed the figure. Mails of a commit still looked up and written one by one (09:44, sender with the 40 ms stall): 149 mails/s end to end, accept 150 mails/s, p99 accept 100 ms, 10.3 round trips per mail; CPU per mail: server thread 3.76, sender 0.79, PostgreSQL 3.64 ms. That code with this sender (12:15, load 1.5): 205 mails/s end to end, accept 453 mails/s, p99 accept 48 ms, 6.0 round trips per mail; server thread 2.86, sender 0.70, PostgreSQL 2.64 ms. The current code with the stalling sender (MAIL_BENCH_SENDER_NAGLE=1, 12:38, other jobs 6 ms of CPU per mail): 124 mails/s, bound by accept (p50 60 ms).

Target in the issue: ≥ 200 mails/s end to end on this 2-core machine — ${verdict}
${END}`;
      if (process.env.MAIL_BENCH_WRITE !== '0') writeSection(section); // MAIL_BENCH_WRITE=0: a trial run leaves RESULTS.md alone
      process.stdout.write(`${section}\n`);
    } finally {
      await app.stop();
    }
  } finally {
    await server.stop();
  }
}

/**
 * The sending MTA: ${connections} pooled nodemailer connections, each sending its next mail once the
 * previous one got its answer. It runs in a worker thread (MAIL_BENCH_SENDER=worker, the default), as
 * an MTA is another process, so its CPU work does not queue on the server's event loop;
 * MAIL_BENCH_SENDER=inline runs it on the server's thread (how runs before 2026-11-23 08:00 measured).
 *
 * Its sockets have TCP_NODELAY. nodemailer writes the end of DATA (`.`) apart from the message's
 * last bytes; with Nagle's algorithm that write waits for the server's ACK of the body, which a
 * Linux receiver delays by 40 ms when it has nothing to answer yet — so every transaction took
 * 40 ms more whatever the server did, and 8 connections could never send more than about 155
 * mails/s. A sender that writes the dot together with the body's end (an MTA buffering its output)
 * does not wait there. MAIL_BENCH_SENDER_NAGLE=1 sends as runs before 2026-11-23 12:15 did.
 */
const senderNagle = process.env.MAIL_BENCH_SENDER_NAGLE === '1';
type Sent = { latencies: number[]; failures: number; senderCpuMs: number };

async function sendMails(port: number, mails: { from: string; raw: string }[]): Promise<Sent> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { performance } = require('node:perf_hooks');
    const nodemailer = require('nodemailer');
    const net = require('node:net');
    const { port, mails, connections, mailbox, nagle } = workerData;
    // TCP_NODELAY on the sender's sockets unless MAIL_BENCH_SENDER_NAGLE=1 (see sendMails).
    const getSocket = nagle ? undefined : (options, callback) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setNoDelay(true);
      socket.once('error', callback);
      socket.once('connect', () => { socket.off('error', callback); callback(null, { connection: socket }); });
    };
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: connections, maxMessages: Infinity, ...(getSocket && { getSocket }) });
    const latencies = [];
    let failures = 0;
    let next = 0;
    Promise.all(Array.from({ length: connections }, async () => {
      while (next < mails.length) {
        const mail = mails[next++];
        const t0 = performance.now();
        try {
          await transport.sendMail({ envelope: { from: mail.from, to: [mailbox] }, raw: mail.raw });
          latencies.push(performance.now() - t0);
        } catch {
          failures++;
        }
        if ((latencies.length + failures) % 100 === 0) parentPort.postMessage({ progress: latencies.length + failures });
      }
    })).then(() => {
      transport.close();
      const cpu = process.threadCpuUsage ? process.threadCpuUsage() : { user: 0, system: 0 };
      parentPort.postMessage({ latencies, failures, senderCpuMs: (cpu.user + cpu.system) / 1000 });
    });`;
  const bar = progressBar('mails sent', mails.length);
  const workerData = { port, mails, connections, mailbox: MAILBOX, nagle: senderNagle };
  const result = await new Promise<Sent>((resolveSent, rejectSent) => {
    if (process.env.MAIL_BENCH_SENDER === 'inline') {
      // Same code on this thread: a Function with the worker's globals stubbed.
      const parentPort = { postMessage: (message: Partial<Sent> & { progress?: number }) => (message.latencies ? resolveSent({ ...(message as Sent), senderCpuMs: Number.NaN }) : bar.update(message.progress ?? 0)) };
      const require = createRequire(import.meta.url);
      const fakeRequire = (name: string) => (name === 'node:worker_threads' ? { parentPort, workerData } : require(name));
      new Function('require', code)(fakeRequire);
      return;
    }
    const worker = new Worker(code, { eval: true, workerData });
    worker.on('message', (message: Partial<Sent> & { progress?: number }) => {
      if (message.latencies) {
        resolveSent(message as Sent);
        void worker.terminate();
      } else bar.update(message.progress ?? 0);
    });
    worker.once('error', rejectSent);
  });
  bar.finish(mails.length);
  return result;
}

/** MAIL_BENCH_CPU_PROFILE=file.cpuprofile: a CPU profile of the server thread from the first mail sent to the last one processed. */
async function startProfiler(): Promise<{ stop(path: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(path) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(path, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** What a statement is for, by its text: the intake's own statements, transaction control, realtime, the rest (the new case or message and its events). */
function kindOf(text: string): 'accept' | 'processing' | 'transaction' | 'realtime' | 'case' {
  if (text.startsWith('with stored as')) return 'accept';
  if (/^(with locked as|with lookups as|with finished as|with outcomes as|with waiting as|select \* from "mailboxes")/.test(text)) return 'processing';
  if (/^(begin|commit|rollback)/.test(text)) return 'transaction';
  if (text.includes('pg_notify')) return 'realtime';
  return 'case';
}

/** Statements by their SQL text (first 110 characters): counted always, timed and printed with MAIL_BENCH_SQL_LOG=1. */
function statementBreakdown(): { print(mails: number): void; byKind(): Record<ReturnType<typeof kindOf>, number> } {
  const byText = new Map<string, { count: number; ms: number }>();
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    const text = (typeof first === 'string' ? first : (first?.text ?? '?')).slice(0, 160).replace(/\s+/g, ' ').trim().slice(0, 110);
    const entry = byText.get(text) ?? { count: 0, ms: 0 };
    byText.set(text, entry);
    entry.count++;
    if (!logStatements) return original.apply(this, args);
    const t0 = performance.now();
    const result = original.apply(this, args);
    if (result instanceof Promise) void result.finally(() => (entry.ms += performance.now() - t0)).catch(() => {});
    return result;
  };
  return {
    byKind() {
      const kinds = { accept: 0, processing: 0, transaction: 0, realtime: 0, case: 0 };
      for (const [text, entry] of byText) kinds[kindOf(text)] += entry.count;
      return kinds;
    },
    print(mails) {
      const rows = [...byText.entries()].sort((a, b) => b[1].count - a[1].count);
      for (const [text, entry] of rows.slice(0, 80)) log(`${(entry.count / mails).toFixed(2).padStart(6)}/mail ${(entry.ms / entry.count).toFixed(2).padStart(6)} ms  ${text}`);
    },
  };
}

function writeSection(section: string): void {
  let text = '';
  try {
    text = readFileSync(resultsPath, 'utf8');
  } catch {
    text = '# Benchmark results\n';
  }
  const pattern = new RegExp(`${START}[\\s\\S]*?${END}`);
  text = pattern.test(text) ? text.replace(pattern, section) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(resultsPath, text);
}

main()
  .then(() => (process.exitCode = 0))
  .catch((error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => setTimeout(() => process.exit(), 2000).unref());
