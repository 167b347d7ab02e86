import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import { queryQueue, type QueueFilter } from '../../src/domain/tickets/tickets.repo.ts';
import type { DatabaseSchema } from '../../src/platform/db/schema.ts';

/**
 * The exact statement a queue view runs, without running it (for EXPLAIN): used by the queue-plan
 * test and by the benchmark's plan columns.
 */
/** A Kysely whose driver only records the compiled SQL: queryQueue then yields the exact statement the API runs. */
function recordingKysely(recorded: CompiledQuery[]): Kysely<DatabaseSchema> {
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      recorded.push(query);
      return { rows: [] };
    },
    // eslint-disable-next-line require-yield
    async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
      throw new Error('not supported');
    },
  };
  const driver: Driver = {
    async init() {},
    async acquireConnection() {
      return connection;
    },
    async beginTransaction() {},
    async commitTransaction() {},
    async rollbackTransaction() {},
    async releaseConnection() {},
    async destroy() {},
  };
  return new Kysely<DatabaseSchema>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}

export async function queueSql(filter: QueueFilter): Promise<CompiledQuery> {
  const recorded: CompiledQuery[] = [];
  await queryQueue(recordingKysely(recorded), filter);
  // The SLA-due sort runs a second statement only on the page where cases with a running clock run out.
  if (recorded.length === 0) throw new Error('queryQueue ran no statement');
  return recorded[0]!;
}
