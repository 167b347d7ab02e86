import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../src/platform/db/database.ts';
import type { Casebook } from './casebook.ts';

/** Counts database round trips made by this process (the server, its outbox processor, everything). */
export function statementCounter(database: Database): { count(): number; restore(): void } {
  let count = 0;
  if (database.pglite) {
    // Every statement takes the embedded database's query lock once: PGlite.query, exec, and a
    // prepared statement's run (platform/db/pglite-driver.ts).
    const client = database.pglite as unknown as { _runExclusiveQuery: (...args: unknown[]) => unknown };
    const original = client._runExclusiveQuery;
    client._runExclusiveQuery = function (this: unknown, ...args: unknown[]) {
      count++;
      return original.apply(this, args);
    };
    return { count: () => count, restore: () => void (client._runExclusiveQuery = original) };
  }
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    count++;
    return original.apply(this, args);
  };
  return { count: () => count, restore: () => void (prototype.query = original) };
}

export type Counters = { xid: number; wal: number | null; handled: number; pending: number };

/** Transaction ids assigned so far, WAL position, outbox events handled so far and still pending (one statement). */
export async function databaseCounters(database: Database): Promise<Counters> {
  const row = (
    await sql<{ xid: string; wal: string | null; handled: string; pending: string }>`
      select pg_snapshot_xmax(pg_current_snapshot())::text as xid, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text as wal,
             (select count(*) from outbox where processed_at is not null or dead_at is not null)::text as handled,
             (select count(*) from outbox where processed_at is null and dead_at is null)::text as pending`.execute(database.db)
  ).rows[0]!;
  return { xid: Number(row.xid), wal: row.wal === null ? null : Number(row.wal), handled: Number(row.handled), pending: Number(row.pending) };
}

/** Waits until the outbox processor has handled every event (so one phase does not spill into the next). */
export async function drainOutbox(database: Database, pollMs = 100): Promise<{ backlog: number; seconds: number }> {
  const started = performance.now();
  const backlog = (await databaseCounters(database)).pending;
  let left = backlog;
  while (left > 0 && performance.now() - started < 300_000) {
    await new Promise((wait) => setTimeout(wait, pollMs));
    left = (await databaseCounters(database)).pending;
  }
  return { backlog, seconds: backlog ? (performance.now() - started) / 1000 : 0 };
}

export type Calibration = {
  cases: number;
  requestStatements: number;
  requestWriteTransactions: number;
  requestMs: number;
  outboxStatements: number;
  outboxWriteTransactions: number;
  outboxMs: number;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/**
 * The fixed cost of one case, without queueing effects: cases created one at a time on an idle
 * server; for each, the statements and write transactions of the HTTP request, then (after waking
 * the outbox processor) those of handling its events, until the outbox is empty. Medians.
 */
export async function calibrate(app: Casebook, body: string, cases = 25): Promise<Calibration> {
  await drainOutbox(app.database);
  const counter = statementCounter(app.database);
  const samples = { requestStatements: [] as number[], requestTx: [] as number[], requestMs: [] as number[], outboxStatements: [] as number[], outboxTx: [] as number[], outboxMs: [] as number[] };
  try {
    for (let i = 0; i < cases; i++) {
      const before = await databaseCounters(app.database);
      const c0 = counter.count();
      const t0 = performance.now();
      const response = await fetch(`${app.url}/api/v1/tickets`, { method: 'POST', headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' }, body });
      await response.arrayBuffer();
      if (response.status !== 201) throw new Error(`calibration request failed: ${response.status}`);
      const t1 = performance.now();
      const c1 = counter.count();
      const middle = await databaseCounters(app.database);
      app.wakeOutbox();
      let own = 1; // the databaseCounters call just above
      let after = middle;
      while (after.pending > 0 && performance.now() - t1 < 30_000) {
        await new Promise((wait) => setTimeout(wait, 2));
        after = await databaseCounters(app.database);
        own++;
      }
      const t2 = performance.now();
      samples.requestStatements.push(c1 - c0);
      samples.requestTx.push(middle.xid - before.xid);
      samples.requestMs.push(t1 - t0);
      samples.outboxStatements.push(counter.count() - c1 - own);
      samples.outboxTx.push(after.xid - middle.xid);
      samples.outboxMs.push(t2 - t1);
    }
  } finally {
    counter.restore();
  }
  return {
    cases,
    requestStatements: median(samples.requestStatements),
    requestWriteTransactions: median(samples.requestTx),
    requestMs: median(samples.requestMs),
    outboxStatements: median(samples.outboxStatements),
    outboxWriteTransactions: median(samples.outboxTx),
    outboxMs: median(samples.outboxMs),
  };
}
