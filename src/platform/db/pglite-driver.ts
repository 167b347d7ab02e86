import { parse, protocol, type PGlite, type Results } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { nameFor } from './prepared-client.ts';

const { serialize } = protocol;

/**
 * Kysely driver for the embedded PGlite database.
 *
 * PGlite has one connection. Kysely acquires a connection per query or per transaction, so this
 * driver hands it out under a mutex: a transaction holds the connection until it commits or rolls
 * back, and no other query can slip into it (the failure mode measured with kysely-pglite).
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolveNext) => (release = resolveNext));
    const previous = this.tail;
    this.tail = previous.then(() => next);
    await previous;
    return release;
  }
}

/** Parameter types of a statement prepared on the embedded connection (from its Describe). */
type Prepared = { parameterTypes: number[] };
/**
 * The statements prepared in each embedded database, and the names whose cached plan a schema change
 * invalidated (parsed again, after a Close, at next use). Kept per PGlite instance, not per driver:
 * two Kysely instances over one database must not prepare a name twice.
 */
type KnownStatements = { prepared: Map<string, Prepared>; stale: Set<string> };
const statements = new WeakMap<PGlite, KnownStatements>();

const concat = (parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);

/**
 * The one connection to the embedded database. A parameterised statement runs as a named prepared
 * statement, by the same rules and names as on PostgreSQL (prepared-client.ts: not one with an array
 * parameter): parsed and described once, then each run is one call into the database (bind,
 * describe, execute, sync) where `PGlite.query` makes six and parses and plans the text again.
 * Planning is what costs most here: it asks the file system for the size of every table and index
 * the statement may use (an fstat each, 4 % of the thread in a queue-read profile at 100,000 cases).
 * Other statements go through `PGlite.query`.
 */
class PgliteConnection implements DatabaseConnection {
  readonly client: PGlite;
  readonly #statements: KnownStatements;

  constructor(client: PGlite) {
    this.client = client;
    let known = statements.get(client);
    if (!known) statements.set(client, (known = { prepared: new Map(), stale: new Set() }));
    this.#statements = known;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const parameters = compiledQuery.parameters as unknown[];
    const name = nameFor(compiledQuery.sql, parameters.length);
    const result = name
      ? await this.#runPrepared(name, compiledQuery.sql, parameters)
      : await this.client.query<R>(compiledQuery.sql, parameters, { rowMode: 'object' });
    const isWrite = /^\s*(insert|update|delete|merge)/i.test(compiledQuery.sql);
    return {
      rows: result.rows as R[],
      numAffectedRows: isWrite && result.affectedRows !== undefined ? BigInt(result.affectedRows) : undefined,
    };
  }

  async #runPrepared(name: string, text: string, parameters: unknown[]): Promise<Results> {
    const { client } = this;
    const { prepared: preparedNames, stale } = this.#statements;
    return client._runExclusiveQuery(async () => {
      let prepared = preparedNames.get(name);
      if (!prepared) {
        const close = stale.delete(name) ? [serialize.close({ type: 'S', name })] : [];
        const described = await client.execProtocolStream(concat([...close, serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]), { syncToFs: false });
        prepared = { parameterTypes: parse.parseDescribeStatementResults(described) };
        preparedNames.set(name, prepared);
      }
      const values = parameters.map((value, index) => {
        if (value === null || value === undefined) return null;
        const serializer = client.serializers[prepared.parameterTypes[index]!];
        return serializer ? serializer(value) : String(value);
      });
      try {
        const messages = await client.execProtocolStream(
          concat([serialize.bind({ statement: name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]),
        );
        return parse.parseResults(messages, client.parsers, { rowMode: 'object' })[0]!;
      } catch (error) {
        // `cached plan must not change result type`: the statement is prepared again at its next use.
        if ((error as { code?: string }).code === '0A000') {
          preparedNames.delete(name);
          stale.add(name);
        }
        throw error;
      }
    });
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.executeQuery<R>(compiledQuery);
  }
}

export class PgliteDriver implements Driver {
  private readonly connection: PgliteConnection;
  readonly mutex: Mutex;
  private releases = new Map<DatabaseConnection, () => void>();

  constructor(client: PGlite, mutex: Mutex) {
    this.connection = new PgliteConnection(client);
    this.mutex = mutex;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.mutex.lock();
    this.releases.set(this.connection, release);
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const release = this.releases.get(connection);
    this.releases.delete(connection);
    release?.();
  }

  async destroy(): Promise<void> {}
}

export function pgliteDialect(client: PGlite, mutex: Mutex): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PgliteDriver(client, mutex),
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createIntrospector: (db: Kysely<unknown>) => new PostgresIntrospector(db),
  };
}
