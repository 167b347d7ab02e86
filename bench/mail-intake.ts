import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { startPostgres } from '../test/support/postgres-server.ts';
import { analyzeAfterLoad, bulkLoad } from './bulk-load.ts';
import { startCasebook } from './casebook.ts';
import { statementCounter } from './counters.ts';
import { prepareRawTable, runPgbench } from './pgbench.ts';
import { machineInfo, progressBar, waitForQuiet } from './system.ts';

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
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: app.smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: connections, maxMessages: Infinity });
      const latencies: number[] = [];
      let failures = 0;
      let next = 0;
      const load = loadavg()[0]!;
      const counter = statementCounter(app.database);
      const sendStarted = performance.now();
      const sendBar = progressBar('mails sent', mailCount);
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (next < mails.length) {
            const mail = mails[next++]!;
            const t0 = performance.now();
            try {
              await transport.sendMail({ envelope: { from: mail.from, to: [MAILBOX] }, raw: mail.raw });
              latencies.push(performance.now() - t0);
            } catch {
              failures++;
            }
            sendBar.update(latencies.length + failures);
          }
        }),
      );
      sendBar.finish(mailCount);
      const acceptSeconds = (performance.now() - sendStarted) / 1000;
      transport.close();
      app.wakeOutbox();
      let pending = mailCount;
      const deadline = Date.now() + 15 * 60_000;
      while (Date.now() < deadline) {
        pending = Number((await sql<{ n: string }>`select count(*) as n from inbound_mails where state = 'received'`.execute(db)).rows[0]!.n);
        if (pending === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const endToEndSeconds = (performance.now() - sendStarted) / 1000;
      const statements = counter.count();
      counter.restore();
      const states = (await sql<{ state: string; n: string }>`select state, count(*) as n from inbound_mails group by state order by state`.execute(db)).rows;
      const actions = (
        await sql<{ action: string; n: string }>`select coalesce(outcome ->> 'action', state) as action, count(*) as n from inbound_mails group by 1 order by 2 desc`.execute(db)
      ).rows;
      latencies.sort((a, b) => a - b);
      const processed = mailCount - failures - pending;
      const perSecond = processed / endToEndSeconds;
      const section = `${START}
## Inbound e-mail: SMTP accept → case (\`bench/mail-intake.ts\`)

Run ${new Date().toISOString()} in ${fmt((performance.now() - started) / 1000)} s. Machine: ${machine.cpuModel}, ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30, 1)} GiB; Node ${process.version}; PostgreSQL (throwaway initdb, default settings); 1-minute load average ${fmt(load, 1)} when sending began (other jobs share this machine).

${fmt(mailCount)} mails over ${connections} SMTP connections (nodemailer) to the built-in listener, with ${fmt(caseCount)} existing cases: 70 % new requests from known contacts, 30 % replies into existing open cases (\`[#number]\` in the subject, In-Reply-To unknown to us, so every reply runs the threading lookups).

| measure | value |
|---|---|
| accepted (250) | ${fmt(latencies.length)} (${fmt(failures)} refused or failed) |
| accept rate | ${fmt(latencies.length / acceptSeconds)} mails/s over ${fmt(acceptSeconds, 1)} s |
| accept latency p50 / p99 / max | ${fmt(percentile(latencies, 50), 1)} / ${fmt(percentile(latencies, 99), 1)} / ${fmt(latencies.at(-1) ?? 0, 1)} ms |
| **accept → case or message, end to end** | **${fmt(perSecond)} mails/s** (${fmt(processed)} mails in ${fmt(endToEndSeconds, 1)} s; ${fmt(pending)} still waiting at the end) |
| outcome | states: ${states.map((row) => `${row.state} ${fmt(Number(row.n))}`).join(', ')}; actions: ${actions.map((row) => `${row.action} ${fmt(Number(row.n))}`).join(', ')} |
| database round trips per mail (accept, processing, the new case's own events, the waiting loop) | ${fmt(statements / mailCount, 1)} |
| baseline: pgbench one-row INSERT, 8 clients | ${fmt(baseline.tps)} TPS → mails/s is ${fmt((100 * perSecond) / baseline.tps, 1)} % of it |

Target in the issue: ≥ 200 mails/s end to end on this 2-core machine — ${perSecond >= 200 ? 'met' : 'not met'} in this run.
${END}`;
      writeSection(section);
      process.stdout.write(`${section}\n`);
    } finally {
      await app.stop();
    }
  } finally {
    await server.stop();
  }
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
