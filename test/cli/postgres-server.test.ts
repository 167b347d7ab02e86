import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../support/postgres-server.ts';
import { bearerClient, cleanupAll, cliEnv, makeTempDir, runCli, startServer, tokenFrom, type ServerProcess } from './cli-harness.ts';

/**
 * Casebook on PostgreSQL (DATABASE_URL): migrations are explicit, CLI commands open their own
 * pool while servers run, and several servers (nodes) share one database.
 */

const ADMIN_EMAIL = 'admin.pg@example.com';
const ADMIN_PASSWORD = 'postgres-admin-password';

let postgres: PostgresServer;
let databaseUrl: string;
let env: Record<string, string>;
let workDir: string;
let nodeA: ServerProcess;
let nodeB: ServerProcess;
let token: string;

const cli = (args: string[], cwd?: string) => runCli(args, { env: cliEnv(env), cwd });

beforeAll(async () => {
  postgres = await startPostgres({ settings: { fsync: 'off', synchronous_commit: 'off' } });
  const admin = new pg.Client({ connectionString: postgres.url() });
  await admin.connect();
  await admin.query('create database casebook_cli');
  await admin.end();
  databaseUrl = postgres.url('casebook_cli');
  workDir = makeTempDir('casebook-cli-work-');
  env = { DATABASE_URL: databaseUrl, CASEBOOK_DATA_DIR: makeTempDir(), CASEBOOK_ADMIN_EMAIL: ADMIN_EMAIL, CASEBOOK_ADMIN_PASSWORD: ADMIN_PASSWORD };
});

afterAll(async () => {
  await cleanupAll();
  await postgres?.stop();
});

describe('casebook on PostgreSQL', () => {
  it('start on an empty database refuses and tells to run `casebook db migrate`', async () => {
    const result = await runCli(['start', '--no-demo'], { env: cliEnv(env) });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('casebook db migrate');
    expect(result.output).toContain('0001_foundation');
  });

  it('db migrate applies the migrations, then db status shows none pending', async () => {
    const migrate = await cli(['db', 'migrate']);
    expect(migrate.code, migrate.output).toBe(0);
    expect(migrate.stdout).toMatch(/applied \d+ migration\(s\): 0001_foundation/);
    const status = await cli(['db', 'status']);
    expect(status.code, status.output).toBe(0);
    expect(status.stdout).toMatch(/applied: 0001_foundation/);
    expect(status.stdout).toContain('pending: (none)');
  });

  it('start --no-demo runs on PostgreSQL', async () => {
    nodeA = await startServer(['--no-demo'], { env });
    expect(await (await fetch(`${nodeA.url}/readyz`)).json()).toEqual({ status: 'ready', engine: 'postgres' });
    expect(nodeA.output()).toContain(`Casebook is running at ${nodeA.url} (postgres)`);
    expect(nodeA.output()).toContain(`created admin ${ADMIN_EMAIL}`);
    expect(nodeA.output()).not.toContain('loading the demo workspace');
  });

  it('user create and token create work while the server runs', async () => {
    const [user, created] = await Promise.all([
      cli(['user', 'create', '--email', 'pg.agent@example.org', '--name', 'PG Agent', '--role', 'agent', '--line', 'L2']),
      cli(['token', 'create', '--user', ADMIN_EMAIL]),
    ]);
    expect(user.code, user.output).toBe(0);
    expect(user.stdout).toMatch(/created agent pg\.agent@example\.org \(agent\) id=/);
    expect(created.code, created.output).toBe(0);
    token = tokenFrom(created);
    const api = bearerClient(nodeA.url, token);
    const me = await api.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: ADMIN_EMAIL, kind: 'agent' });
    const agents = await api.get('/api/v1/users?kind=agent&limit=200');
    expect(agents.body.items.map((agent: { email: string }) => agent.email)).toContain('pg.agent@example.org');
  });

  it('backup --out writes pg_dump SQL', async () => {
    const result = await cli(['backup', '--out', 'casebook.sql'], workDir);
    expect(result.code, result.output).toBe(0);
    const dump = readFileSync(join(workDir, 'casebook.sql'), 'utf8');
    expect(dump).toContain('PostgreSQL database dump');
    expect(dump).toContain('CREATE TABLE public.tickets');
  });

  it('two servers on the same database both serve, and see each other’s cases', async () => {
    nodeB = await startServer(['--no-demo'], { env: { ...env, CASEBOOK_DATA_DIR: makeTempDir() } });
    expect(nodeB.port).not.toBe(nodeA.port);
    expect(await (await fetch(`${nodeB.url}/readyz`)).json()).toEqual({ status: 'ready', engine: 'postgres' });
    expect(nodeB.output()).not.toContain('created admin'); // the admin already exists in the shared database

    const onA = bearerClient(nodeA.url, token);
    const onB = bearerClient(nodeB.url, token);
    const organization = await onA.post('/api/v1/organizations', { name: 'Multi Node Org', domains: ['multi-node.example'] });
    expect(organization.status, JSON.stringify(organization.body)).toBe(201);
    const fromA = await onA.post('/api/v1/tickets', { subject: 'Opened on node A', body: 'first message A', organizationId: organization.body.id });
    expect(fromA.status, JSON.stringify(fromA.body)).toBe(201);
    const fromB = await onB.post('/api/v1/tickets', { subject: 'Opened on node B', body: 'first message B', organizationId: organization.body.id });
    expect(fromB.status, JSON.stringify(fromB.body)).toBe(201);

    const seenOnB = await onB.get(`/api/v1/tickets/${fromA.body.id}`);
    expect(seenOnB.status).toBe(200);
    expect(seenOnB.body).toMatchObject({ subject: 'Opened on node A', number: fromA.body.number });
    const seenOnA = await onA.get(`/api/v1/tickets/${fromB.body.id}`);
    expect(seenOnA.status).toBe(200);
    expect(seenOnA.body.subject).toBe('Opened on node B');
    for (const node of [onA, onB]) {
      const all = await node.get('/api/v1/tickets?view=all&limit=200');
      expect(all.body.items.map((ticket: { subject: string }) => ticket.subject).sort()).toEqual(['Opened on node A', 'Opened on node B']);
    }
    expect(fromB.body.number).not.toBe(fromA.body.number);

    const [stopA, stopB] = await Promise.all([nodeA.stop(), nodeB.stop()]);
    expect(stopA).toEqual({ code: 0, signal: null });
    expect(stopB).toEqual({ code: 0, signal: null });
  });
});
