import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { createOrganization } from '../src/domain/accounts/index.ts';
import { createApiToken, createUser, SYSTEM_ACTOR } from '../src/domain/identity/index.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Database } from '../src/platform/db/database.ts';
import { openRuntime } from '../src/platform/runtime.ts';
import { startServer } from '../src/server.ts';
export { queueSql } from '../test/support/queue-sql.ts';

/**
 * One real Casebook server (HTTP on a free loopback port, in this process) over PostgreSQL or an
 * embedded PGlite in a temp dir, with two organisations (the second on the Standard plan), one agent
 * holding an API token and a contact in each organisation, all created through the domain use cases.
 */
export type Casebook = {
  engine: 'postgres' | 'pglite';
  url: string;
  token: string;
  agentId: string;
  contactId: string;
  organizationId: string;
  /** A contact of a second organisation, on the Standard plan (its cases get SLA clocks). */
  plannedContactId: string;
  database: Database;
  /** The built-in SMTP listener's port, when started with CASEBOOK_SMTP_LISTEN in `env`. */
  smtpPort: number | undefined;
  /** Asks the outbox processor to poll now instead of at its next tick. */
  wakeOutbox(): void;
  /** Stops this node's outbox processor (events then wait in the outbox, as on an API-only node). */
  stopOutbox(): Promise<void>;
  stop(): Promise<void>;
};

export async function startCasebook(options: { databaseUrl?: string; env?: Record<string, string> }): Promise<Casebook> {
  const dataDir = mkdtempSync(join(tmpdir(), 'casebook-bench-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    CASEBOOK_DATA_DIR: dataDir,
    CASEBOOK_LOG_LEVEL: 'silent',
    CASEBOOK_DEMO: '0',
    ...(options.databaseUrl && { DATABASE_URL: options.databaseUrl }),
    // Lets a run compare outbox settings (e.g. CASEBOOK_OUTBOX_CONCURRENCY=1 npm run bench).
    ...(process.env.CASEBOOK_OUTBOX_CONCURRENCY && { CASEBOOK_OUTBOX_CONCURRENCY: process.env.CASEBOOK_OUTBOX_CONCURRENCY }),
    ...options.env,
  });
  const cleanup: Array<() => Promise<void>> = [async () => rmSync(dataDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => {});
  };
  try {
    const runtime = await openRuntime(config, { purpose: 'bench', migrate: true });
    cleanup.push(() => runtime.close());
    const server = await startServer(runtime);
    cleanup.push(() => server.stop());
    const db = runtime.database.db;
    const suffix = `${process.pid}-${Date.now().toString(36)}`;
    const organization = await createOrganization(db, SYSTEM_ACTOR, { name: `Bench customer ${suffix}` });
    const agent = await createUser(db, SYSTEM_ACTOR, { email: `bench-agent-${suffix}@casebook.test`, name: 'Bench Agent', roles: ['agent'] });
    const contact = await createUser(db, SYSTEM_ACTOR, {
      email: `bench-contact-${suffix}@customer.test`,
      name: 'Bench Contact',
      roles: ['customer'],
      organizationId: organization.id,
    });
    const plannedOrganization = await createOrganization(db, SYSTEM_ACTOR, { name: `Bench customer on a plan ${suffix}`, planCode: 'standard' });
    const plannedContact = await createUser(db, SYSTEM_ACTOR, {
      email: `bench-planned-${suffix}@customer.test`,
      name: 'Bench Planned Contact',
      roles: ['customer'],
      organizationId: plannedOrganization.id,
    });
    const { token } = await createApiToken(db, SYSTEM_ACTOR, agent.email, 'bench');
    return {
      engine: runtime.database.engine,
      url: server.url,
      token,
      agentId: agent.id,
      contactId: contact.id,
      organizationId: organization.id,
      plannedContactId: plannedContact.id,
      database: runtime.database,
      smtpPort: server.smtp?.port,
      wakeOutbox: () => server.processor.wake(),
      stopOutbox: () => server.processor.stop(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Empties the case tables (and everything hanging off them) between the write and read phases. The
 * audit trail is named: it has no foreign keys (migration 0019), so the cascade does not reach it.
 */
export async function resetCases(database: Database): Promise<void> {
  await sql`truncate table tickets, outbox, audit_events cascade`.execute(database.db);
}

export type PlanSummary = { sql: string; parameters: readonly unknown[]; indexes: string[]; topNode: string; executionMs: number; planningMs: number; sharedHit: number; sharedRead: number; plan: string };

/** EXPLAIN (ANALYZE, BUFFERS) of a compiled statement, run twice (the second, warm, is reported). */
export async function explain(database: Database, query: CompiledQuery): Promise<PlanSummary> {
  const statement = CompiledQuery.raw(`explain (analyze, buffers) ${query.sql}`, [...query.parameters]);
  await database.db.executeQuery(statement);
  const result = await database.db.executeQuery<{ 'QUERY PLAN': string }>(statement);
  const lines = result.rows.map((row) => row['QUERY PLAN']);
  const plan = lines.join('\n');
  const indexes = [...new Set([...plan.matchAll(/(?:Index|Index Only|Bitmap Index) Scan(?: Backward)? (?:using|on) (\S+)/g)].map((match) => match[1]!))];
  const number = (pattern: RegExp) => Number(pattern.exec(plan)?.[1] ?? Number.NaN);
  const buffers = /Buffers: shared(?: hit=(\d+))?(?: read=(\d+))?/.exec(plan);
  return {
    sql: query.sql,
    parameters: query.parameters,
    indexes,
    topNode: (lines[0] ?? '').replace(/\s+\(cost=.*$/, '').trim(),
    executionMs: number(/Execution Time: ([\d.]+) ms/),
    planningMs: number(/Planning Time: ([\d.]+) ms/),
    sharedHit: Number(buffers?.[1] ?? 0),
    sharedRead: Number(buffers?.[2] ?? 0),
    plan,
  };
}
