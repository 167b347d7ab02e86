import pg from 'pg';

/**
 * A `pg.Client` that runs every parameterised statement as a named prepared statement: the first
 * use on a connection parses it, later uses only bind and execute (PostgreSQL skips parsing and,
 * after a few runs, planning). Kysely sends the same few hundred statement texts over and over,
 * so this roughly halves PostgreSQL's CPU per statement (measured: bench/RESULTS.md).
 *
 * Names come from one process-wide map (text → `cb<n>`), capped so that statements whose text
 * varies with their input (e.g. `in ($1, …, $n)` lists) cannot grow it without bound: beyond the
 * cap, or above MAX_PARAMETERS, a statement runs unnamed as before.
 *
 * A statement that takes an array parameter (`id = any($1::uuid[])`: the batch reads of the outbox
 * handlers, the realtime hub, the SLA writes) runs unnamed too, so PostgreSQL plans it at every
 * execution with the array's real length and the tables' current size. A named statement's
 * generic plan is kept until the next ANALYZE of its tables: on a young database whose cases
 * went from a few hundred to 15,000 in seconds, those reads kept their first plans (sequential
 * scans of messages and audit_events) and took 2–6 ms per batch instead of well under one
 * (seen with auto_explain in the creation bench). Statements without parameters
 * (`begin`, `commit`, DDL) keep the simple protocol. A cached plan invalidated by a schema change
 * (`cached plan must not change result type`) is retired on that connection: the next use parses
 * the text again under a new name (the old one is left until the connection closes).
 */
const MAX_NAMES = 2000;
const MAX_PARAMETERS = 64;
const MAX_TEXT = 16_384;
const names = new Map<string, string>();
/** A parameter cast to an array type (`$3::uuid[]`): see nameFor. */
const ARRAY_PARAMETER = /\$\d+::\w+\[\]/;
/** The shared name of a statement that runs prepared (see above), or undefined for one that runs unnamed. */
export function nameFor(text: string, parameterCount: number): string | undefined {
  if (parameterCount === 0 || parameterCount > MAX_PARAMETERS || text.length > MAX_TEXT) return undefined;
  if (ARRAY_PARAMETER.test(text)) return undefined;
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMES) {
    name = `cb${names.size + 1}`;
    names.set(text, name);
  }
  return name;
}

/**
 * A `pg.Client` whose `query(text, values)` promise is built on pg's callback form. pg's own
 * promise form (8.x) makes every result row outlive the young-generation collections that follow
 * it: measured with `--trace-gc-nvp` on a loop of 51-row reads, each scavenge promoted ~11 MB of
 * rows to the old generation and paused 15 ms, against 0.4 MB and 1 ms through the callback form —
 * and those pauses were the whole p99 of the queue reads. The call and its result are the same.
 */
export class CallbackClient extends pg.Client {
  protected run(config: string | pg.QueryConfig): Promise<pg.QueryResult> {
    return new Promise((resolve, reject) => {
      super.query(config, (error: Error | null, result: pg.QueryResult) => {
        if (error) {
          // Like pg: a stack that leads back to the caller rather than to the socket read.
          Error.captureStackTrace(error);
          reject(error);
        } else resolve(result);
      });
    });
  }

  // pg's overloads are many; Kysely calls query(text, values) and expects a promise.
  override query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text === 'string' && args.length === 2 && Array.isArray(values)) return this.run({ text, values }) as never;
    if (typeof text === 'string' && args.length === 1) return this.run(text) as never;
    return (super.query as (...rest: unknown[]) => never)(...args);
  }
}

export class PreparedStatementClient extends CallbackClient {
  /** Statements whose cached plan a schema change invalidated on this connection: name → next suffix. */
  #retired = new Map<string, number>();

  override query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text === 'string' && Array.isArray(values) && args.length === 2) {
      const shared = nameFor(text, values.length);
      if (shared) {
        const generation = this.#retired.get(shared);
        const name = generation === undefined ? shared : `${shared}_${generation}`;
        return this.run({ name, text, values }).catch((error: unknown) => {
          if (error instanceof Error && (error as { code?: string }).code === '0A000') this.#retired.set(shared, (generation ?? 0) + 1);
          throw error;
        }) as never;
      }
    }
    return super.query(...args);
  }
}
