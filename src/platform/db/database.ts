import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DatabaseSchema } from './schema.ts';
import { Mutex, pgliteDialect } from './pglite-driver.ts';
import { CallbackClient, PreparedStatementClient } from './prepared-client.ts';


export type Engine = 'pglite' | 'postgres';
export type Db = Kysely<DatabaseSchema>;
export type Tx = Transaction<DatabaseSchema>;
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Db | Tx;

export type Database = {
  engine: Engine;
  db: Db;
  /** Applies one migration script in its own transaction unless the ledger already has it. */
  applyMigration(name: string, sqlText: string, checksum: string): Promise<boolean>;
  /** LISTEN on a channel; the callback receives each NOTIFY payload. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** The embedded instance, for backup (PGlite only). */
  pglite?: PGlite;
  close(): Promise<void>;
};

const ledgerCheck = 'select 1 from schema_migrations where name = $1';
const ledgerInsert = 'insert into schema_migrations (name, checksum) values ($1, $2)';

export type OpenOptions = { databaseUrl?: string; dataDir?: string; poolSize?: number; loadDataDir?: Blob; preparedStatements?: boolean };

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10, options.preparedStatements ?? true);
  if (!options.dataDir) throw new Error('openDatabase needs a databaseUrl or a dataDir');
  const pgDir = join(options.dataDir, 'pg');
  mkdirSync(pgDir, { recursive: true });
  const client = await PGlite.create(`file://${pgDir}`, {
    extensions: { pg_trgm },
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  return wrapPglite(client);
}

/** In-memory PGlite (tests clone a migrated template into one of these). */
export async function wrapPglite(client: PGlite): Promise<Database> {
  const mutex = new Mutex();
  const db = new Kysely<DatabaseSchema>({ dialect: pgliteDialect(client, mutex) });
  return {
    engine: 'pglite',
    db,
    pglite: client,
    async applyMigration(name, sqlText, checksum) {
      const release = await mutex.lock();
      try {
        return await client.transaction(async (tx) => {
          if ((await tx.query(ledgerCheck, [name])).rows.length > 0) return false;
          await tx.exec(sqlText);
          await tx.query(ledgerInsert, [name, checksum]);
          return true;
        });
      } finally {
        release();
      }
    },
    async listen(channel, onPayload) {
      const unsubscribe = await client.listen(channel, onPayload);
      return async () => unsubscribe();
    },
    async close() {
      await db.destroy();
      if (!client.closed) await client.close();
    },
  };
}

async function openPostgres(databaseUrl: string, poolSize: number, preparedStatements: boolean): Promise<Database> {
  // JIT off: Casebook's statements are short, and PostgreSQL decides to compile one from its
  // estimated cost. With statistics a young, fast-growing table had outgrown, the SLA history
  // read (0.4 ms) was estimated at 150,000 and spent 20 ms compiling (auto_explain, creation
  // bench). A DATABASE_URL carrying its own `options` parameter replaces this one.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, options: '-c jit=off', Client: preparedStatements ? PreparedStatementClient : CallbackClient });
  pool.on('error', () => {}); // an idle client's error must not kill the process; the next query reports it
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  const listeners: pg.Client[] = [];
  return {
    engine: 'postgres',
    db,
    async applyMigration(name, sqlText, checksum) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        // Several app nodes may run `db migrate` at once: one wins, the others wait then see it applied.
        await client.query('select pg_advisory_xact_lock(7401001)');
        if ((await client.query(ledgerCheck, [name])).rows.length > 0) {
          await client.query('rollback');
          return false;
        }
        await client.query(sqlText);
        await client.query(ledgerInsert, [name, checksum]);
        await client.query('commit');
        return true;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload) {
      const client = new pg.Client({ connectionString: databaseUrl });
      client.on('error', () => {});
      await client.connect();
      listeners.push(client);
      client.on('notification', (message) => {
        if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
      });
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      return async () => {
        await client.end().catch(() => {});
      };
    },
    async close() {
      await Promise.all(listeners.map((client) => client.end().catch(() => {})));
      await db.destroy();
    },
  };
}
