import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/platform/db/database.ts';
import { migrateDatabase } from '../../src/platform/db/migrate.ts';
import { startPostgres } from './postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export const TEMPLATE_DATABASE = 'casebook_template';

/** Starts one PostgreSQL server for the run and prepares a migrated template database. */
export default async function setup(project: TestProject) {
  const server = await startPostgres({ settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } });
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query(`create database ${TEMPLATE_DATABASE}`);
  await admin.end();
  const database = await openDatabase({ databaseUrl: server.url(TEMPLATE_DATABASE), poolSize: 1 });
  await migrateDatabase(database);
  await database.close();
  project.provide('postgresUrl', server.url());
  return async () => {
    await server.stop();
  };
}
