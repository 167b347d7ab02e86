import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, wrapPglite, type Database, type Engine } from '../../src/platform/db/database.ts';
import { migrateDatabase } from '../../src/platform/db/migrate.ts';

export const testEngine: Engine = process.env.CASEBOOK_TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';

let pgliteTemplate: Promise<PGlite> | undefined;

async function migratedPgliteTemplate(): Promise<PGlite> {
  pgliteTemplate ??= (async () => {
    const client = await PGlite.create({ extensions: { pg_trgm } });
    await migrateDatabase(await wrapPglite(client));
    return client;
  })();
  return pgliteTemplate;
}

/**
 * A fresh, migrated database for one test file: a clone of a migrated PGlite, or a new
 * PostgreSQL database copied from the migrated template on the suite's server.
 */
export async function createTestDatabase(): Promise<Database & { url?: string }> {
  if (testEngine === 'pglite') {
    const template = await migratedPgliteTemplate();
    const clone = (await template.clone()) as PGlite;
    return wrapPglite(clone);
  }
  const serverUrl = inject('postgresUrl');
  const name = `casebook_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template casebook_template`);
  } finally {
    await admin.end();
  }
  const url = serverUrl.replace(/\/[^/]*$/, `/${name}`);
  const database = await openDatabase({ databaseUrl: url, poolSize: 10 });
  return Object.assign(database, { url });
}
