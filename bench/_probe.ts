import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { startPostgres } from '../test/support/postgres-server.ts';
const server = await startPostgres();
try {
  const c = new pg.Client({ connectionString: server.url() }); await c.connect(); await c.query('create database casebook'); await c.end();
  execFileSync(process.execPath, ['bin/run-ts.js', 'bench/seed.ts', '--cases', process.argv[2] ?? '20000', '--database-url', server.url('casebook')], { stdio: 'inherit' });
  const d = new pg.Client({ connectionString: server.url('casebook') }); await d.connect();
  console.log((await d.query("select count(*) from tickets")).rows, (await d.query("select pg_size_pretty(pg_database_size('casebook'))")).rows);
  await d.end();
} finally { await server.stop(); }
