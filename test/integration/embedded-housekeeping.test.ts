import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackgroundJobs } from '../../src/jobs/background.ts';
import { runEmbeddedHousekeeping } from '../../src/platform/db/embedded-housekeeping.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/** The statistics a table has as PostgreSQL counts them (pg_stat_user_tables), once the writes are counted. */
type TableStats = { n_dead_tup: string; n_mod_since_analyze: string; vacuums: string; analyzes: string; reltuples: number };

describe('housekeeping of the embedded database (what autovacuum does on PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const stats = async (table: string) =>
    (
      await sql<TableStats>`select s.n_dead_tup::text, s.n_mod_since_analyze::text, (s.vacuum_count + s.autovacuum_count)::text as vacuums,
                 (s.analyze_count + s.autoanalyze_count)::text as analyzes, c.reltuples
          from pg_stat_user_tables s join pg_class c on c.oid = s.relid where s.relname = ${table}`.execute(t.database.db)
    ).rows[0]!;

  /** Runs the writes, then waits until the statistics count them (a backend reports its counts when it goes idle). */
  const writeAndCount = async (table: string, statements: ReturnType<typeof sql>[], counted: (row: TableStats) => boolean) => {
    await t.database.db.transaction().execute(async (tx) => {
      for (const statement of statements) await statement.execute(tx);
      await sql`select pg_stat_force_next_flush()`.execute(tx);
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const row = await stats(table);
      if (counted(row)) return row;
      if (Date.now() > deadline) throw new Error(`statistics of ${table} never counted the writes: ${JSON.stringify(row)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it('vacuums a table with many dead rows, analyses one with many changes, and leaves quiet tables alone', async () => {
    const churned = `hk_churned_${Date.now()}`;
    const grown = `hk_grown_${Date.now()}`;
    // Out of PostgreSQL's autovacuum, which would otherwise race the pass on the postgres project.
    await sql`create table ${sql.table(churned)} (id int primary key, v int) with (autovacuum_enabled = false)`.execute(t.database.db);
    await sql`create table ${sql.table(grown)} (id int primary key, v int) with (autovacuum_enabled = false)`.execute(t.database.db);
    // 5,000 rows, 3,000 of them updated and 1,000 deleted: 4,000 dead rows, far past 50 + 20 % of the table.
    const before = await writeAndCount(
      churned,
      [
        sql`insert into ${sql.table(churned)} select i, i from generate_series(1, 5000) i`,
        sql`update ${sql.table(churned)} set v = v + 1 where id <= 3000`,
        sql`delete from ${sql.table(churned)} where id > 4000`,
      ],
      (row) => Number(row.n_dead_tup) >= 4000,
    );
    expect(Number(before.vacuums)).toBe(0);
    // 300 new rows: fewer than the 1,000 inserts that call for a vacuum, more than the 50 changes that call for an analysis.
    await writeAndCount(grown, [sql`insert into ${sql.table(grown)} select i, i from generate_series(1, 300) i`], (row) => Number(row.n_mod_since_analyze) >= 300);

    const pass = await runEmbeddedHousekeeping(t.database.db);
    expect(pass.vacuumed).toContain(churned);
    expect(pass.analyzed).toContain(grown);
    expect(pass.vacuumed).not.toContain(grown);

    const cleaned = await stats(churned);
    expect(Number(cleaned.n_dead_tup)).toBe(0);
    expect(Number(cleaned.vacuums)).toBe(1);
    // Vacuumed with ANALYZE: the planner now knows the table's size.
    expect(cleaned.reltuples).toBe(4000);
    const analysed = await stats(grown);
    expect(Number(analysed.analyzes)).toBe(1);
    expect(Number(analysed.vacuums)).toBe(0);
    expect(analysed.reltuples).toBe(300);

    // Nothing changed since: the next pass leaves both alone.
    const again = await runEmbeddedHousekeeping(t.database.db);
    expect([...again.vacuumed, ...again.analyzed]).not.toContain(churned);
    expect([...again.vacuumed, ...again.analyzed]).not.toContain(grown);
  });

  it('runs among the background jobs on the embedded database only (PostgreSQL has autovacuum)', async () => {
    const jobs = startBackgroundJobs({ database: t.database, files: t.files, config: t.config });
    try {
      expect(jobs.some((job) => job.name === 'embedded-housekeeping')).toBe(t.database.engine === 'pglite');
    } finally {
      for (const job of jobs) await job.stop();
    }
  });
});
