import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { policyOfPlan } from '../src/domain/plans/index.ts';
import { computeClocks, deriveCaseSlaDue, explainClocks, recomputeOpenSlaClocks, type RecomputeResult } from '../src/domain/sla/index.ts';
import type { RecomputePhases } from '../src/domain/sla/recompute-ticket-sla.ts';
import { toClockPolicy } from '../src/domain/sla/clock-policy.ts';
import { loadCaseHistories } from '../src/domain/sla/sla-history.repo.ts';
import { openDatabase, type Database } from '../src/platform/db/database.ts';
import { migrateDatabase } from '../src/platform/db/migrate.ts';
import { startPostgres } from '../test/support/postgres-server.ts';

/**
 * `node bin/run-ts.js bench/sla-recompute.ts`: on a throwaway PostgreSQL (default settings), loads
 * SLA_BENCH_CASES (default 100k) open cases of the Standard plan (Toronto business hours) with a
 * realistic history (creation, agent replies, pending-customer and on-hold pauses, customer
 * answers) and their clocks, then adds a holiday to the calendar and times the recomputation
 * of the clocks of every open case (batches of SLA_BENCH_BATCH cases, SLA_BENCH_CONCURRENCY
 * batches in flight). In the same run it times a raw row update of the same rows of the same table
 * in statements of the same size, and reports the ratio. Writes its section of bench/RESULTS.md
 * between the sla-recompute markers (the rest of the file is left alone) for the full 100k run;
 * a smaller `--cases N` (for trying things out) only prints, unless `--write` is given (`--no-write`: never).
 * Options: --cases N, --batch N, --concurrency N (or SLA_BENCH_CASES/_BATCH/_CONCURRENCY).
 */
function option(name: string, fallback: string | undefined): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}
const caseCount = Number(option('cases', process.env.SLA_BENCH_CASES) ?? 100_000);
const batchSize = Number(option('batch', process.env.SLA_BENCH_BATCH) ?? 1000);
const concurrency = Number(option('concurrency', process.env.SLA_BENCH_CONCURRENCY) ?? 2);
const writeResults = (caseCount === 100_000 && !process.argv.includes('--no-write')) || process.argv.includes('--write');
for (const [name, value] of Object.entries({ caseCount, batchSize, concurrency })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
}
const resultsPath = new URL('./RESULTS.md', import.meta.url);
const START = '<!-- sla-recompute:start -->';
const END = '<!-- sla-recompute:end -->';
const STANDARD_PLAN_ID = 'a0000000-0000-4000-8000-000000000001';
const TORONTO_CALENDAR_ID = 'c0000000-0000-4000-8000-000000000001';
const log = (line: string) => process.stderr.write(`[sla-bench] ${line}\n`);

async function seed(database: Database, now: Date): Promise<void> {
  const db = database.db;
  const organizations = (await sql<{ id: string }>`insert into organizations (name, plan_code) select 'SLA bench customer ' || i, 'standard' from generate_series(1, 50) i returning id`.execute(db)).rows.map((row) => row.id);
  const contacts = (
    await sql<{ id: string }>`insert into users (email, name, kind, roles, organization_id)
      select 'contact' || i || '@sla-bench.test', 'Contact ' || i, 'contact', '{customer}', (${organizations}::uuid[])[i] from generate_series(1, 50) i returning id`.execute(db)
  ).rows.map((row) => row.id);
  const agents = (await sql<{ id: string }>`insert into users (email, name, kind, roles) select 'agent' || i || '@sla-bench.test', 'Agent ' || i, 'agent', '{agent}' from generate_series(1, 20) i returning id`.execute(db)).rows.map(
    (row) => row.id,
  );
  // Opened over the 13 days before yesterday; 20 % pending the customer, 10 % on hold, 10 % new.
  for (let from = 1; from <= caseCount; from += 20_000) {
    const to = Math.min(caseCount, from + 19_999);
    await sql`insert into tickets (subject, requester_id, organization_id, priority, status, assignee_id, channel, plan_id, created_at, updated_at)
      select 'Bench case ' || i, (${contacts}::uuid[])[1 + i % 50], (${organizations}::uuid[])[1 + i % 50],
             (array['P1','P2','P2','P3','P3','P3','P3','P4','P4','P4'])[1 + (i * 7) % 10],
             case when i % 10 < 2 then 'pending-customer' when i % 10 = 2 then 'on-hold' when i % 10 = 3 then 'new' else 'open' end,
             case when i % 10 = 3 then null else (${agents}::uuid[])[1 + i % 20] end, 'portal', ${STANDARD_PLAN_ID}::uuid, c, c
      from generate_series(${from}::int, ${to}::int) i,
           lateral (select date_trunc('milliseconds', ${now}::timestamptz - interval '1 day' - ((i::bigint * 7919) % (13 * 86400)) * interval '1 second') as c) created`.execute(db);
  }
  await sql`insert into audit_events (subject_type, subject_id, ticket_id, action, changes, created_at)
    select 'ticket', id, id, 'ticket.created', jsonb_build_object('status', 'new', 'priority', priority), created_at from tickets`.execute(db);
  await sql`insert into audit_events (subject_type, subject_id, ticket_id, action, changes, created_at)
    select 'ticket', id, id, 'sla.policy-applied', jsonb_build_object('plan', 'standard', 'planId', plan_id, 'organizationId', organization_id, 'calendar', 'Toronto business hours'), created_at from tickets`.execute(db);
  // The first agent reply (5 min to 5 h after opening) opens the case.
  await sql`with reply as (
      insert into messages (ticket_id, author_id, body, is_internal, channel, created_at)
      select id, assignee_id, 'Looking into it.', false, 'api', created_at + ((number % 300) + 5) * interval '1 minute' from tickets where status <> 'new'
      returning id, ticket_id, author_id, created_at)
    insert into audit_events (subject_type, subject_id, ticket_id, actor_id, action, changes, created_at)
    select 'ticket', ticket_id, ticket_id, author_id, 'reply.added', jsonb_build_object('messageId', id, 'internal', false, 'status', jsonb_build_object('before', 'new', 'after', 'open')), created_at from reply`.execute(db);
  // Pending and on-hold cases moved there 10 minutes after the reply.
  await sql`insert into audit_events (subject_type, subject_id, ticket_id, action, changes, created_at)
    select 'ticket', t.id, t.id, 'ticket.updated', jsonb_build_object('status', jsonb_build_object('before', 'open', 'after', t.status)), t.created_at + ((t.number % 300) + 15) * interval '1 minute'
    from tickets t where t.status in ('pending-customer', 'on-hold')`.execute(db);
  // One open case in ten has a customer answer an hour after the agent reply: a next-response cycle.
  await sql`with answer as (
      insert into messages (ticket_id, author_id, body, is_internal, channel, created_at)
      select id, requester_id, 'Still failing.', false, 'portal', created_at + ((number % 300) + 65) * interval '1 minute' from tickets where status = 'open' and number % 10 = 5
      returning id, ticket_id, author_id, created_at)
    insert into audit_events (subject_type, subject_id, ticket_id, actor_id, action, changes, created_at)
    select 'ticket', ticket_id, ticket_id, author_id, 'reply.added', jsonb_build_object('messageId', id, 'internal', false), created_at from answer`.execute(db);
  // The clocks as stored before the change (bulk-inserted: the recomputation rewrites them all).
  await sql`insert into sla_clocks (ticket_id, kind, cycle, state, target_seconds, started_at, due_at, stopped_at, business_seconds, is_breached, next_check_at, computed_at)
    select t.id, k.kind, 1, case when k.kind = 'first-response' and t.status <> 'new' then 'met' when t.status in ('pending-customer', 'on-hold') then 'paused' else 'running' end,
           43200, t.created_at, t.created_at + interval '1 day', null, 0, false, null, ${now}
    from tickets t cross join (values ('first-response'), ('resolution')) as k (kind)`.execute(db);
  await deriveCaseSlaDue(db);
  await sql`analyze`.execute(db);
}

/** The next weekday (Toronto) after `now`: the holiday that moves the most running clocks. */
function nextBusinessDate(now: Date): string {
  const local = new Date(now.getTime() - 5 * 3600_000);
  do local.setUTCDate(local.getUTCDate() + 1);
  while (local.getUTCDay() === 0 || local.getUTCDay() === 6);
  return local.toISOString().slice(0, 10);
}

/**
 * CPU seconds used so far by the PostgreSQL server (the postmaster, its live children and the
 * children it has reaped), from /proc: unlike wall time, it hardly depends on what else the
 * machine is running. `undefined` where /proc is not readable.
 */
function postgresCpuSeconds(postmasterPid: number): number | undefined {
  try {
    let ticks = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      if (pid !== postmasterPid && Number(fields[1]) !== postmasterPid) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
      if (pid === postmasterPid) ticks += Number(fields[13]) + Number(fields[14]);
    }
    return ticks / 100; // USER_HZ
  } catch {
    return undefined;
  }
}

/** Wall time, this process's CPU time and the server's CPU time of some work, in seconds. */
async function measured<T>(postmasterPid: number, work: () => Promise<T>): Promise<{ result: T; seconds: number; nodeCpu: number; pgCpu: number | undefined }> {
  const pgBefore = postgresCpuSeconds(postmasterPid);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const pgAfter = postgresCpuSeconds(postmasterPid);
  return { result, seconds, nodeCpu: (cpu.user + cpu.system) / 1e6, pgCpu: pgBefore === undefined || pgAfter === undefined ? undefined : pgAfter - pgBefore };
}

async function timeRawUpdate(database: Database, rowsPerStatement: number): Promise<{ rows: number; seconds: number }> {
  const ids = (await database.db.selectFrom('sla_clocks').select('id').orderBy('ticket_id').execute()).map((row) => row.id);
  const chunks: string[][] = [];
  for (let index = 0; index < ids.length; index += rowsPerStatement) chunks.push(ids.slice(index, index + rowsPerStatement));
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        await database.db.transaction().execute((tx) => sql`update sla_clocks set computed_at = now() where id = any(${chunk}::uuid[])`.execute(tx));
      }
    }),
  );
  return { rows: ids.length, seconds: (performance.now() - started) / 1000 };
}

/**
 * The in-process computation alone (no database) on a sample of the loaded histories, in µs per
 * case: what a recomputation stores (`computeClocks`), and the same clocks with their explanation
 * (`explainClocks`, what `GET /tickets/:id/sla` builds on demand for one case).
 */
async function timeComputeOnly(database: Database, now: Date, sample: number): Promise<{ stored: number; explained: number }> {
  const ids = (await database.db.selectFrom('tickets').select('id').where('is_open', '=', true).orderBy('id').limit(sample).execute()).map((row) => row.id);
  const histories = [...(await loadCaseHistories(database.db, ids)).values()];
  const policy = toClockPolicy((await policyOfPlan(database.db, STANDARD_PLAN_ID))!).clock;
  const perCase = (compute: typeof computeClocks) => {
    for (const history of histories.slice(0, 1000)) compute(policy, history.events, now); // warm-up
    const started = performance.now();
    for (const history of histories) compute(policy, history.events, now);
    return ((performance.now() - started) * 1000) / histories.length;
  };
  return { stored: perCase(computeClocks), explained: perCase(explainClocks) };
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

function writeSection(markdown: string): void {
  const section = `${START}\n${markdown.trim()}\n${END}`;
  const current = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '# Casebook benchmark results\n';
  const pattern = new RegExp(`${START}[\\s\\S]*?${END}`);
  writeFileSync(resultsPath, pattern.test(current) ? current.replace(pattern, section) : `${current.trimEnd()}\n\n${section}\n`);
}

const fmt = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const runStarted = performance.now();
  const server = await startPostgres();
  const database = await openDatabase({ databaseUrl: server.url(), poolSize: concurrency + 2 });
  try {
    await migrateDatabase(database);
    const version = (await sql<{ version: string }>`select version()`.execute(database.db)).rows[0]!.version.split(' ').slice(0, 2).join(' ');
    const now = new Date();
    log(`loading ${caseCount} open cases with their history…`);
    const load = await timed(() => seed(database, now));
    log(`loaded in ${load.seconds.toFixed(1)} s`);
    const phases: RecomputePhases = { load: 0, compute: 0, write: 0 };
    const options = { batchSize, concurrency, now, phases };
    const backendPid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]!.pid;
    const postmasterPid = Number(readFileSync(`/proc/${backendPid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
    // The loaded clocks are placeholders: recomputing them all first is the worst case (every row differs and is rewritten).
    log('every stored clock is a placeholder: recomputing all of them before the holiday (the worst case)…');
    const worstPhases: RecomputePhases = { load: 0, compute: 0, write: 0 };
    const worst = await measured(postmasterPid, () => recomputeOpenSlaClocks(database.db, { ...options, phases: worstPhases }));
    log(`worst case: ${worst.result.written} of ${worst.result.clocks} clocks rewritten in ${worst.seconds.toFixed(1)} s`);
    const holiday = nextBusinessDate(now);
    await sql`update calendars set definition = jsonb_set(definition, '{holidays}', (definition -> 'holidays') || to_jsonb(${holiday}::text)), updated_at = now() where id = ${TORONTO_CALENDAR_ID}`.execute(database.db);
    log(`holiday ${holiday} added; recomputing every open case…`);
    const loadBefore = loadavg()[0]!;
    const recompute: { result: RecomputeResult; seconds: number; nodeCpu: number; pgCpu: number | undefined } = await measured(postmasterPid, () => recomputeOpenSlaClocks(database.db, options));
    const loadAfter = loadavg()[0]!;
    log(`recomputed ${recompute.result.cases} cases (${recompute.result.clocks} clocks, ${recompute.result.written} changed) in ${recompute.seconds.toFixed(1)} s`);
    const phaseSeconds = (ms: number) => fmt(ms / 1000, 1);
    log(`phases (summed over ${concurrency} batches in flight): load ${phaseSeconds(phases.load)} s, compute ${phaseSeconds(phases.compute)} s, write ${phaseSeconds(phases.write)} s`);
    const rowsPerStatement = Math.round(recompute.result.clocks / Math.ceil(recompute.result.cases / batchSize));
    const rawRun = await measured(postmasterPid, () => timeRawUpdate(database, rowsPerStatement));
    const raw = { ...rawRun.result, nodeCpu: rawRun.nodeCpu, pgCpu: rawRun.pgCpu };
    const cpuText = (run: { nodeCpu: number; pgCpu: number | undefined }) => `${fmt(run.nodeCpu, 1)} s Node + ${run.pgCpu === undefined ? '?' : fmt(run.pgCpu, 1)} s PostgreSQL`;
    log(`CPU: recompute ${cpuText(recompute)}; raw update ${cpuText(raw)}`);
    log(`raw update: ${raw.rows} rows in ${raw.seconds.toFixed(1)} s`);
    const computeAlone = await timeComputeOnly(database, now, Math.min(caseCount, 10_000));
    const computeMicros = computeAlone.stored;
    log(`compute alone: ${computeMicros.toFixed(0)} µs per case (${computeAlone.explained.toFixed(0)} µs with the explanation)`);

    const rawRate = raw.rows / raw.seconds;
    const recomputeRate = recompute.result.clocks / recompute.seconds;
    const target = recompute.seconds < 10;
    const markdown = `
## SLA clocks: recompute after a calendar holiday is added

Generated by \`node bin/run-ts.js bench/sla-recompute.ts\` (bench/sla-recompute.ts) on ${now.toISOString()}; the whole run took ${fmt((performance.now() - runStarted) / 1000)} s.
Machine: ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30, 1)} GiB; Node ${process.version}; ${version} (throwaway initdb, default settings).

${fmt(recompute.result.cases)} open cases of the Standard plan (Toronto business hours, business-day and minute targets), opened over 13 days, with
their history: creation, a first agent reply for 90 %, 20 % pending the customer and 10 % on hold (paused), one open case in ten
with a customer answer (a next-response cycle), and their clocks, bulk-loaded in ${fmt(load.seconds)} s. Then the holiday ${holiday} is added
to the calendar and the clocks of every open case are recomputed from their history (\`recomputeOpenSlaClocks\`, what \`casebook sla recompute\`
and a calendar change run; the calendar-change handler runs 1 batch at a time, the command 4 on PostgreSQL): pages of ${fmt(batchSize)} cases in
case-number (creation) order, ${concurrency} in flight, each one transaction of a fixed number of statements whatever its size — lock and read
the case rows (\`FOR NO KEY UPDATE\`, in id order; only the fields the clocks depend on), read their history (audit rows and the kind
of author of their public messages, one statement) and their stored clocks with the noticed thresholds and the stored values, the ids as
one array parameter, index lookups only and every result as one JSON value; compute in process with \`computeClocks\`, the function the
per-event handler and the timer use; compare each computed clock with its stored values in process; then one
\`UPDATE … FROM unnest(one array per column)\` of only the clocks that change (it still leaves alone a row that turns out unchanged),
plus an insert for new clocks.
A clock row holds only what the timer, the queues, the reports and the metrics read (state, target, start, due, stop, consumed
business seconds, breach flag, next check: about 100 bytes). The explanation of a clock (plan, calendar, pauses, events, readable
lines) is not stored: \`GET /api/v1/tickets/:id/sla\` builds it on demand for the case with \`explainClocks\`, the same computation.
The bulk-loaded clocks are placeholders: a first recomputation, before the holiday, replaces them all (every clock row differs and
is rewritten: the worst case, timed below). Then the holiday is added and the recomputation it triggers is timed: it locks, reads and
computes every open case and writes the clocks whose values the holiday moves (the others, e.g. met first responses, are unchanged
and not even sent).

| step | rows | seconds | rows/s | CPU (Node + PostgreSQL) |
|---|---|---|---|---|
| recompute all open cases after the holiday | ${fmt(recompute.result.clocks)} clocks (${fmt(recompute.result.written)} changed) of ${fmt(recompute.result.cases)} cases | **${fmt(recompute.seconds, 1)}** | ${fmt(recomputeRate)} | ${cpuText(recompute)} |
| worst case, before the holiday: every stored clock differs (placeholders) and is rewritten | ${fmt(worst.result.clocks)} clocks (${fmt(worst.result.written)} changed) of ${fmt(worst.result.cases)} cases | ${fmt(worst.seconds, 1)} | ${fmt(worst.result.clocks / worst.seconds)} | ${cpuText(worst)} |
| raw \`UPDATE sla_clocks SET computed_at = now()\` of the same rows, ${fmt(rowsPerStatement)} rows per statement, ${concurrency} in flight | ${fmt(raw.rows)} | ${fmt(raw.seconds, 1)} | ${fmt(rawRate)} | ${cpuText(raw)} |

Where the time goes (phases summed over the ${concurrency} batches in flight, so they add up to about ${concurrency}× the wall time): reading
(locks, histories, stored clocks) ${phaseSeconds(phases.load)} s, computing ${phaseSeconds(phases.compute)} s, writing ${phaseSeconds(phases.write)} s. The in-process computation alone
(no database; ${fmt(Math.min(caseCount, 10_000))} of the loaded histories) takes ${fmt(computeMicros)} µs per case, i.e. ${fmt((computeMicros * recompute.result.cases) / 1e6, 1)} s for all cases; with the
explanations (what the API builds for the one case it shows) it would take ${fmt(computeAlone.explained)} µs. The recomputation still costs more than the raw update:
PostgreSQL looks up, locks and reads each case, its history and its clocks (index lookups by id) besides rewriting the clock rows
that change, each of which changes indexed columns (due time, state, next check), so no update is HOT (the four indexes of
\`sla_clocks\` are all in use: the primary key that notices refer to, the unique case/kind/cycle key, the timer's next check, the
queue's running due time), and Node parses, computes and builds the batches.
Machine load (1-minute load average) ${fmt(loadBefore, 1)} before and ${fmt(loadAfter, 1)} after the recomputation, on ${cpus().length} cores: other jobs share this machine, so
wall times vary between runs; CPU seconds (from /proc for PostgreSQL) vary less.

History of this figure (100,000 cases; raw update of the same run in brackets): 68.8 s before the offset cache in the engine;
29.4 s (6.8 s) with it; 30.0 s (5.6 s) with 17.0 s Node + 17.6 s PostgreSQL CPU at 05:53 UTC on 2026-11-23 once the ids travelled as
one array parameter and each batch ended in one \`UPDATE … FROM jsonb_to_recordset(batch)\` — but every clock row still carried
about 1 KB of explanation JSON, built in Node and parsed into jsonb by PostgreSQL, and the history rows came back as one driver
row (with date parsing) each. The 09:44 version: no stored explanation (migration 0014 drops the column, and the index on
\`sla_clocks (ticket_id)\` that the unique \`(ticket_id, kind, cycle)\` index made redundant), the stored computation skips the
work only the explanation needs, the interval walk of the business-time engine is a loop instead of generators, results come back
as JSON values, the write is \`UPDATE … FROM unnest(arrays)\`, and pages follow case numbers (cases created together share table
pages; in this freshly loaded database the rows sit in creation order, more so than in a long-lived one). Same-conditions
comparison on 2026-11-23 at 08:19-08:21 UTC (load average 4-6, one run after the other): the 05:53 code took 35.9 s (raw update
10.0 s) with 15.2 s Node + 17.5 s PostgreSQL CPU; this change, before its last steps (stored clocks read in the history statement,
no composite string keys), took 14.7 s (raw 4.8 s) with 6.5 s + 10.0 s CPU: half the CPU in all. Earlier, on a quieter machine
(load 1.5-2.5), the 05:53 code took 25.2 s (raw 5.7 s) at 07:46 UTC. Runs of that code (and of nearly that code) between 08:30
and 08:50 UTC, load average 1.9-4.5, took 8.2 to 14.6 s with the raw update at 2.8 to 4.0 s, i.e. 2.9 to 4.1 times the raw update
(14 to 20 s of CPU in all). This version (13:00-13:20 UTC): each computed clock is compared in process with its stored values
(read with the clocks, instants as epoch seconds) and only the clocks that change are sent to the UPDATE — before, the UPDATE looked
up and compared every clock row of the batch, about 2 s of PostgreSQL CPU per run for rows it then left alone; the warning moments
of a clock come from one walk of the timeline instead of one walk per threshold; the batch lock reads only the case fields the
clocks depend on; fewer objects per case in Node. Same-conditions comparison at 13:12-13:15 UTC (load average 1.3-2.5; a copy of
this database at a fixed moment, the holiday added and removed in turn, 2 batches in flight; three processes per version, one
after the other, two warm runs each): the 09:44 code took 7.0 to 8.5 s (13.6 s of CPU on average: 5.4 s Node + 8.1 s PostgreSQL),
this code 5.5 to 7.1 s (10.4 s: 3.7 s Node + 6.7 s PostgreSQL). Full runs of this benchmark at 13:08-13:12 UTC: the 09:44 code
8.0 s (raw update 2.9 s), this code 5.8 s and 7.5 s (raw 2.0 and 2.2 s): single runs vary by a fifth with what else the machine runs.
Locking the case rows was measured as well: about 0.2 to 0.4 s of PostgreSQL CPU per run (the same read with and without
\`FOR NO KEY UPDATE\`); it is kept, since it is what keeps a per-event recomputation of the same case running meanwhile from ending
with stale clocks.

Recompute ÷ raw update time: **${fmt(recompute.seconds / raw.seconds, 1)}×** (the recomputation runs at ${fmt((100 * recomputeRate) / rawRate)} % of the raw row-update rate).
Target: under 10 s for ${fmt(caseCount)} cases — **${target ? 'met' : 'not met'}**.
`;
    if (writeResults) writeSection(markdown);
    else log("not written to bench/RESULTS.md (only the 100k run is, or pass --write)");
    process.stdout.write(markdown);
  } finally {
    await database.close();
    await server.stop();
  }
}

await main();
