import { sql } from 'kysely';
import type { Db } from './database.ts';
import { startPeriodicJob, type PeriodicJob } from '../periodic-job.ts';

/**
 * What autovacuum does on PostgreSQL, for the embedded database: PGlite runs no background
 * workers, so nothing ever vacuumed or analysed its tables. Dead rows (every case update, every
 * outbox event marked and later purged) stayed in the indexes, and the planner never learnt how
 * many cases there are or how few are open: it planned from default guesses.
 *
 * A pass reads the counters PostgreSQL keeps per table (pg_stat_user_tables: PGlite keeps them
 * too) and, by autovacuum's default rules, vacuums a table with more dead rows than 50 + 20 % of
 * its rows (or more rows inserted since its last vacuum than 1,000 + 20 %), and analyses one with
 * more rows changed since its last analysis than 50 + 10 %. Tables are done one at a time,
 * smallest first. The database has one connection, so requests wait while a table is done:
 * measured at 100,000 cases, a pass with nothing to do takes ~5 ms, `vacuum (analyze) tickets`
 * after 25,000 case updates ~0.9 s, and `analyze tickets` alone ~0.8 s (its sample of 30,000
 * rows); at those thresholds that is once per 10,000 to 20,000 changes of the table.
 */
export type HousekeepingPass = { vacuumed: string[]; analyzed: string[] };

export async function runEmbeddedHousekeeping(db: Db): Promise<HousekeepingPass> {
  const due = await sql<{ relname: string; needs_vacuum: boolean }>`
    select relname, needs_vacuum from (
      select t.relname, c.relpages,
             t.n_dead_tup > 50 + 0.2 * greatest(c.reltuples, 0) or t.n_ins_since_vacuum > 1000 + 0.2 * greatest(c.reltuples, 0) as needs_vacuum,
             t.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0) as needs_analyze
      from pg_stat_user_tables t join pg_class c on c.oid = t.relid
      where t.schemaname = 'public') counts
    where needs_vacuum or needs_analyze
    order by relpages, relname`.execute(db);
  const pass: HousekeepingPass = { vacuumed: [], analyzed: [] };
  for (const { relname: table, needs_vacuum: vacuum } of due.rows) {
    // VACUUM (ANALYZE) does both; ANALYZE alone reads a sample only.
    await sql`${sql.raw(vacuum ? 'vacuum (analyze)' : 'analyze')} ${sql.table(table)}`.execute(db);
    (vacuum ? pass.vacuumed : pass.analyzed).push(table);
  }
  return pass;
}

/** The pass at start, then a minute after each pass ends (the server starts it on the embedded database only). */
export function startEmbeddedHousekeeping(db: Db, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): PeriodicJob<HousekeepingPass> {
  return startPeriodicJob({
    name: 'embedded-housekeeping',
    intervalMs: options.intervalMs ?? 60_000,
    pass: () => runEmbeddedHousekeeping(db),
    fallback: { vacuumed: [], analyzed: [] },
    onError: options.onError,
  });
}
