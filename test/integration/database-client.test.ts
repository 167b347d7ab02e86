import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { createTestDatabase, testEngine } from '../support/test-database.ts';

/**
 * The database client under every repository: results, errors and schema changes as a repository
 * sees them. On PostgreSQL both client forms are checked — named prepared statements (the
 * default) and CASEBOOK_PG_PREPARED=0; the embedded connection prepares statements by the same rules.
 */
describe('the database client', () => {
  let main: Database & { url?: string };
  const variants: Array<[string, Database]> = [];

  beforeAll(async () => {
    main = await createTestDatabase();
    variants.push([testEngine === 'postgres' ? 'prepared statements' : 'embedded', main]);
    if (testEngine === 'postgres' && main.url) variants.push(['plain statements', await openDatabase({ databaseUrl: main.url, poolSize: 2, preparedStatements: false })]);
    await sql`create table client_probe (id int primary key, label text not null, tags text[] not null, at timestamptz not null)`.execute(main.db);
  });
  afterAll(async () => {
    for (const [, database] of variants.slice(1)) await database.close();
    await main.close();
  });

  it('returns typed rows for a parameterised statement, the same on every run', async () => {
    for (const [label, database] of variants) {
      const id = label === 'plain statements' ? 2 : 1;
      await sql`insert into client_probe values (${id}, ${'first'}, ${['a', 'b']}, ${'2026-11-23T10:00:00.123Z'})`.execute(database.db);
      for (let run = 0; run < 7; run++) {
        const { rows } = await sql<{ id: number; label: string; tags: string[]; at: Date }>`select * from client_probe where id = ${id}`.execute(database.db);
        expect(rows, label).toEqual([{ id, label: 'first', tags: ['a', 'b'], at: new Date('2026-11-23T10:00:00.123Z') }]);
      }
    }
  });

  it('rejects a failing statement with its SQLSTATE code, and the pool stays usable', async () => {
    for (const [label, database] of variants) {
      const error = await sql`insert into client_probe values (${1}, ${'again'}, ${[]}, now())`.execute(database.db).catch((caught: unknown) => caught);
      expect(error, label).toBeInstanceOf(Error);
      expect((error as { code?: string }).code, label).toBe('23505');
      const { rows } = await sql<{ count: string }>`select count(*)::text as count from client_probe where id = ${1}`.execute(database.db);
      expect(rows[0]!.count, label).toBe('1');
    }
  });

  it('keeps working after a schema change alters the result of a statement it already ran', async () => {
    const read = (database: Database) => sql<Record<string, unknown>>`select * from client_probe where id = ${1}`.execute(database.db);
    for (const [, database] of variants) await read(database);
    await sql`alter table client_probe add column note text not null default 'added'`.execute(main.db);
    for (const [label, database] of variants) {
      // A connection whose cached plan went stale may refuse once (0A000), then parses the new shape.
      const first = await read(database).catch((error: { code?: string }) => error);
      if (first instanceof Error) expect((first as { code?: string }).code, label).toBe('0A000');
      const { rows } = await read(database);
      expect(rows[0], label).toMatchObject({ id: 1, label: 'first', note: 'added' });
    }
  });

  it('plans a statement with an id-array parameter at each run, prepares the others once (embedded too), and never JIT-compiles on PostgreSQL', async () => {
    for (const [label, database] of variants) {
      const id = label === 'plain statements' ? 2 : 1;
      await database.db.transaction().execute(async (tx) => {
        const byIds = (ids: number[]) => sql<{ id: number }>`select id from client_probe where id = any(${`{${ids.join(',')}}`}::int[]) order by id`.execute(tx);
        // The same text with arrays of different lengths: each run answers for its own array.
        for (let run = 0; run < 7; run++) expect((await byIds(run % 2 ? [id] : [id, 99, 100])).rows, label).toEqual([{ id }]);
        expect((await byIds([99])).rows, label).toEqual([]);
        await sql`select label from client_probe where id = ${id}`.execute(tx);
        const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(tx);
        const texts = prepared.rows.map((row) => row.statement);
        expect(texts.some((text) => text.includes('::int[]')), label).toBe(false);
        expect(texts.some((text) => text.includes('select label from client_probe')), label).toBe(label !== 'plain statements');
        if (database.engine !== 'postgres') return;
        expect((await sql<{ jit: string }>`show jit`.execute(tx)).rows[0]!.jit, label).toBe('off');
      });
    }
  });
});
