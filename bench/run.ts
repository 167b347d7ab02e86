import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../src/platform/db/database.ts';
import { startPostgres, type PostgresServer } from '../test/support/postgres-server.ts';
import { analyzeAfterLoad, bulkLoad } from './bulk-load.ts';
import { explain, queueSql, resetCases, startCasebook, type Casebook } from './casebook.ts';
import { calibrate, databaseCounters, drainOutbox, statementCounter, type Counters } from './counters.ts';
import { runLoad, type LoadSpec } from './load.ts';
import { prepareRawTable, runPgbench, type PgbenchOptions } from './pgbench.ts';
import { composeReading } from './reading.ts';
import { PLAN_VARIANT, renderMarkdown, type EngineResults, type RawPhase, type ReadPhase, type Results, type WritePhase } from './report.ts';
import { createShapes } from './shapes.ts';
import { machineInfo, progressBar, trackCpu, waitForQuiet } from './system.ts';

/**
 * `npm run bench`: case creation through the HTTP API on PostgreSQL 15 and on the embedded PGlite,
 * against a pgbench one-row-INSERT baseline on the same server, then queue-view read latency at
 * 100k cases. Writes bench/RESULTS.md and prints it. BENCH_SECONDS (default 15) sets the length of
 * each write phase and pgbench run; BENCH_READ_SECONDS (default min(5, BENCH_SECONDS)) each read
 * phase; BENCH_CASES (default 100000) the size of the read test; BENCH_QUIET_WAIT (default 20) how
 * many seconds each phase may wait for other processes on the machine to calm down;
 * BENCH_DIAGNOSE=0 skips the pgbench replays of the create path (bench/shapes.ts); BENCH_PAIRS (default 5)
 * how many (pgbench, creation) pairs run at concurrency 8 on PostgreSQL (the median pair is reported).
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const readSeconds = Number(process.env.BENCH_READ_SECONDS ?? Math.min(5, seconds));
const caseCount = Number(process.env.BENCH_CASES ?? 100_000);
const quietWait = Number(process.env.BENCH_QUIET_WAIT ?? 20);
const diagnose = process.env.BENCH_DIAGNOSE !== '0';
const pairCount = Math.max(1, Number(process.env.BENCH_PAIRS ?? 5));
const resultsPath = new URL('./RESULTS.md', import.meta.url);
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

// Everything started registers its stop here: run in reverse on success, failure or a signal.
const cleanups: Array<() => Promise<void>> = [];
async function runCleanups(): Promise<void> {
  while (cleanups.length) await cleanups.pop()!().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void runCleanups().finally(() => process.exit(130));
  });
}
async function withCleanup<T>(stop: () => Promise<void>, body: () => Promise<T>): Promise<T> {
  cleanups.push(stop);
  try {
    return await body();
  } finally {
    const index = cleanups.lastIndexOf(stop);
    if (index >= 0) cleanups.splice(index, 1);
    await stop();
  }
}

function sourceTree(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return `commit ${commit}${dirty ? ` with uncommitted changes in ${dirty.split('\n').length} src/ file(s)` : ''}`;
  } catch {
    return 'an unknown source tree';
  }
}

const BODIES = ['P3', 'P2', 'P3', 'P4'].map((priority, index) =>
  JSON.stringify({ subject: `Bench case ${index}: export to CSV times out`, body: 'Since this morning the nightly export fails after 30 s. Steps: open Reports, export. Thanks!', priority }),
);

async function writePhase(app: Casebook, concurrency: number, postgresPort: number | undefined, options: { requesterId?: string; variant?: string } = {}): Promise<WritePhase> {
  const counter = statementCounter(app.database);
  try {
    let cpu: ReturnType<typeof trackCpu> | undefined;
    let statements = 0;
    let counters: Promise<Counters> | undefined;
    const spec: LoadSpec = {
      url: app.url,
      method: 'POST',
      path: '/api/v1/tickets',
      headers: { authorization: `Bearer ${app.token}` },
      bodies: BODIES.map((body) => body.replace('{', `{"requesterId":"${options.requesterId ?? app.contactId}",`)),
      concurrency,
      seconds,
      warmupSeconds: 2,
      expectStatus: 201,
    };
    const load = await runLoad(spec, () => {
      cpu = trackCpu(postgresPort);
      statements = counter.count();
      counters = databaseCounters(app.database);
    });
    const usage = cpu!.stop();
    const statementsDone = counter.count() - statements;
    const before = await counters!;
    const after = await databaseCounters(app.database);
    const cases = Math.max(1, load.requests + load.errors);
    const outbox = await drainOutbox(app.database);
    return {
      ...(options.variant && { variant: options.variant }),
      outboxHandledPerSecond: (after.handled - before.handled) / seconds,
      outboxBacklog: outbox.backlog,
      outboxDrainSeconds: outbox.seconds,
      concurrency,
      load,
      cpu: usage,
      statementsPerCase: (statementsDone - 1) / cases,
      writeTransactionsPerCase: (after.xid - before.xid) / cases,
      walBytesPerCase: after.wal === null || before.wal === null ? null : (after.wal - before.wal) / cases,
    };
  } finally {
    counter.restore();
  }
}

async function readPhase(app: Casebook, view: string, path: string, postgresPort: number | undefined): Promise<ReadPhase> {
  let cpu: ReturnType<typeof trackCpu> | undefined;
  const load = await runLoad(
    { url: app.url, method: 'GET', path, headers: { authorization: `Bearer ${app.token}` }, concurrency: 1, seconds: readSeconds, warmupSeconds: 1, expectStatus: 200 },
    () => (cpu = trackCpu(postgresPort)),
  );
  return { view, path, load, cpu: cpu!.stop() };
}

/** pgbench at one concurrency, with the CPU it and the server used (and what other jobs used meanwhile). */
async function rawPhase(server: PostgresServer, clients: number, options: PgbenchOptions & { label?: string; seconds?: number } = {}): Promise<RawPhase> {
  const duration = options.seconds ?? seconds;
  log(`pgbench${options.label ? ` (${options.label})` : ''}: ${clients} client(s) for ${duration} s`);
  await quiet(server.port);
  const cpu = trackCpu(server.port);
  const raw = await runPgbench(server, clients, clients === 1 ? 1 : 2, duration, options);
  log(`pgbench: c${clients} ${raw.tps.toFixed(0)} TPS, p50 ${raw.p50.toFixed(2)} ms, p99 ${raw.p99.toFixed(2)} ms`);
  return { ...raw, cpu: cpu.stop() };
}

/** Gives other jobs on the machine a chance to finish before a measured phase (BENCH_QUIET_WAIT s at most). */
async function quiet(port: number | undefined): Promise<void> {
  const other = await waitForQuiet(quietWait, 0.3, port);
  if (other >= 0.3) log(`note: other processes are using ${other.toFixed(2)} cores; figures will be noisy`);
}

/**
 * One engine: write phases at concurrency 1 and 8 (on PostgreSQL each right after the pgbench run
 * at the same concurrency, so both see the same machine), then the 100k-case queue reads.
 */
async function benchEngine(label: string, server: PostgresServer | undefined, results: Results): Promise<EngineResults> {
  const databaseUrl = server?.url('casebook');
  const port = server?.port;
  const result: EngineResults = { engine: databaseUrl ? 'postgres' : 'pglite', label, version: '?', writes: [], reads: [], errors: [] };
  const started = performance.now();
  log(`${label}: starting Casebook`);
  const app = await startCasebook({ databaseUrl });
  await withCleanup(app.stop, async () => {
    result.version = (await sql<{ version: string }>`select version()`.execute(app.database.db)).rows[0]!.version.split(' on ')[0]!;
    try {
      for (const concurrency of [1, 8]) {
        // At the target's concurrency on PostgreSQL, BENCH_PAIRS (pgbench run, creation phase) pairs, each pair's phases
        // back to back: the machine's speed drifts within minutes, and one pair's ratio drifts with it. The pair
        // with the median ratio is the one reported in the tables; every pair's ratio is listed.
        const pairs: Array<{ raw?: RawPhase; phase: WritePhase }> = [];
        for (let pair = 0; pair < (server && concurrency === 8 ? pairCount : 1); pair++) {
          const raw = server ? await rawPhase(server, concurrency) : undefined;
          log(`${label}: POST /api/v1/tickets at concurrency ${concurrency} for ${seconds} s`);
          await quiet(port);
          const phase = await writePhase(app, concurrency, port);
          pairs.push({ raw, phase });
          log(`${label}: c${concurrency} ${phase.load.perSecond.toFixed(0)} cases/s, p50 ${phase.load.p50.toFixed(2)} ms, p99 ${phase.load.p99.toFixed(2)} ms, ${phase.load.errors} errors${raw ? `; ${((100 * phase.load.perSecond) / raw.tps).toFixed(1)} % of pgbench` : ''}`);
        }
        const ratio = ({ raw, phase }: (typeof pairs)[number]) => (raw ? phase.load.perSecond / raw.tps : 0);
        const median = [...pairs].sort((left, right) => ratio(left) - ratio(right))[Math.floor((pairs.length - 1) / 2)]!;
        if (median.raw) results.pgbench.push(median.raw);
        result.writes.push(median.phase);
        if (pairs.length > 1) results.pairs = pairs.map((pair) => ({ tps: pair.raw!.tps, casesPerSecond: pair.phase.load.perSecond }));
      }
      if (server) {
        // The same creations for a customer on a plan: each case is written with its plan, the SLA handler records it and starts its clocks.
        log(`${label}: POST /api/v1/tickets at concurrency 8 for ${seconds} s, requester's organisation on the Standard plan`);
        await quiet(port);
        const phase = await writePhase(app, 8, port, { requesterId: app.plannedContactId, variant: PLAN_VARIANT });
        result.writes.push(phase);
        log(`${label}: c8 on a plan ${phase.load.perSecond.toFixed(0)} cases/s, p99 ${phase.load.p99.toFixed(2)} ms, outbox ${phase.outboxHandledPerSecond.toFixed(0)} events/s, backlog ${phase.outboxBacklog}`);
      }
      log(`${label}: calibrating the cost of one case (25 cases, one at a time)`);
      result.calibration = await calibrate(app, BODIES[0]!.replace('{', `{"requesterId":"${app.contactId}",`));
      const c = result.calibration;
      log(`${label}: one case = ${c.requestStatements} statements in the request + ${c.outboxStatements} in the outbox handlers`);
      if (server && diagnose) {
        for (const shape of createShapes(app)) {
          const raw = await rawPhase(server, 8, { database: 'casebook', script: shape.script, protocol: shape.protocol, label: shape.name, seconds: Math.min(seconds, 10) });
          results.shapes.push({ ...shape, raw });
        }
      }
    } catch (error) {
      result.errors.push(`write phase failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      log(`${label}: emptying the case tables, bulk-loading ${caseCount.toLocaleString('en')} cases`);
      await resetCases(app.database);
      const bar = progressBar(`[bench] ${label} bulk load`, caseCount);
      const bulk = await bulkLoad(app.database, { cases: caseCount, extraAgentIds: [app.agentId], onProgress: (done) => bar.update(done) });
      bar.finish(caseCount);
      const analyzeStarted = performance.now();
      await analyzeAfterLoad(app.database);
      result.bulk = { ...bulk, analyzeSeconds: (performance.now() - analyzeStarted) / 1000 };
      const counts = (
        await sql<{ total: string; open: string; unassigned: string; mine: string; clocked: string }>`
          select count(*)::text as total, count(*) filter (where is_open)::text as open,
                 count(*) filter (where is_open and assignee_id is null)::text as unassigned,
                 count(*) filter (where is_open and assignee_id = ${app.agentId})::text as mine,
                 count(*) filter (where is_open and exists (select from sla_clocks c where c.ticket_id = tickets.id and c.state = 'running'))::text as clocked
          from tickets`.execute(app.database.db)
      ).rows[0]!;
      result.distribution = { total: Number(counts.total), open: Number(counts.open), unassignedOpen: Number(counts.unassigned), mineOpen: Number(counts.mine), runningSlaOpen: Number(counts.clocked) };

      const firstPage = await fetch(`${app.url}/api/v1/tickets?view=all-open`, { headers: { authorization: `Bearer ${app.token}` } });
      const page = (await firstPage.json()) as { items: unknown[]; nextCursor: string | null };
      if (!firstPage.ok || !page.nextCursor) throw new Error(`first page failed: ${firstPage.status} ${JSON.stringify(page).slice(0, 300)}`);
      const after = JSON.parse(Buffer.from(page.nextCursor, 'base64url').toString('utf8')) as { priority: string; createdAt: string; updatedAt: string; id: string };
      const base = { openOnly: true, sort: 'priority' as const, limit: 51 };
      const views = [
        { view: 'all-open', path: '/api/v1/tickets?view=all-open', filter: base },
        { view: 'unassigned', path: '/api/v1/tickets?view=unassigned', filter: { ...base, assigneeId: null } },
        { view: 'mine', path: '/api/v1/tickets?view=mine', filter: { ...base, assigneeId: app.agentId } },
        { view: 'all-open, page 2 (cursor)', path: `/api/v1/tickets?view=all-open&cursor=${page.nextCursor}`, filter: { ...base, after } },
        { view: 'all-open, soonest SLA due first', path: '/api/v1/tickets?view=all-open&sort=sla-due', filter: { ...base, sort: 'sla-due' as const } },
        { view: 'unassigned, soonest SLA due first', path: '/api/v1/tickets?view=unassigned&sort=sla-due', filter: { ...base, assigneeId: null, sort: 'sla-due' as const } },
        { view: 'mine, soonest SLA due first', path: '/api/v1/tickets?view=mine&sort=sla-due', filter: { ...base, assigneeId: app.agentId, sort: 'sla-due' as const } },
      ];
      for (const { view, path, filter } of views) {
        log(`${label}: GET ${view} for ${readSeconds} s`);
        await quiet(port);
        const phase = await readPhase(app, view, path, port);
        phase.plan = await explain(app.database, await queueSql(filter));
        result.reads.push(phase);
        log(`${label}: ${view} p50 ${phase.load.p50.toFixed(2)} ms, p99 ${phase.load.p99.toFixed(2)} ms; plan ${phase.plan.indexes.join(', ') || 'seq scan'} ${phase.plan.executionMs} ms`);
      }
    } catch (error) {
      result.errors.push(`read phase failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  log(`${label}: done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return result;
}

/**
 * Other benchmarks (e.g. bench/sla-recompute.ts) keep their own section of RESULTS.md between
 * `<!-- name:start -->` and `<!-- name:end -->` markers: carry those over when rewriting the file.
 */
function withForeignSections(markdown: string): string {
  let previous = '';
  try {
    previous = readFileSync(resultsPath, 'utf8');
  } catch {
    return markdown;
  }
  const sections = [...previous.matchAll(/<!-- ([\w-]+):start -->[\s\S]*?<!-- \1:end -->/g)].map((match) => match[0]);
  return sections.length ? `${markdown}\n${sections.join('\n\n')}\n` : markdown;
}

async function main(): Promise<number> {
  const started = performance.now();
  const results: Results = { date: new Date().toISOString(), machine: machineInfo(), seconds, readSeconds, pgbench: [], shapes: [], engines: [], totalSeconds: 0, tree: sourceTree(), reading: '' };
  log(`starting PostgreSQL (BENCH_SECONDS=${seconds}, BENCH_READ_SECONDS=${readSeconds}, BENCH_CASES=${caseCount})`);
  const server = await startPostgres();
  await withCleanup(server.stop, async () => {
    await prepareRawTable(server);
    const admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query('create database casebook').finally(() => admin.end());
    results.engines.push(await benchEngine('PostgreSQL', server, results));
  });
  results.engines.push(await benchEngine('PGlite', undefined, results));
  results.totalSeconds = (performance.now() - started) / 1000;
  results.reading = composeReading(results);
  const markdown = renderMarkdown(results);
  writeFileSync(resultsPath, withForeignSections(markdown));
  process.stdout.write(`${markdown}\n`);
  log(`wrote ${resultsPath.pathname}`);
  return results.engines.some((engine) => engine.errors.length) ? 1 : 0;
}

main()
  .then((code) => (process.exitCode = code))
  .catch(async (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await runCleanups();
    // Anything left open by a failure must not keep the process alive.
    setTimeout(() => process.exit(), 2000).unref();
  });
