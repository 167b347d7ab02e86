import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/jobs/load-demo.job.ts';
import {
  bearerClient,
  cleanupAll,
  cliEnv,
  freePort,
  makeTempDir,
  REPO_ROOT,
  runCli,
  signIn,
  startServer,
  tokenFrom,
  type ApiClient,
  type ServerProcess,
} from './cli-harness.ts';

/**
 * `casebook start` on the embedded database (PGlite), as a first-time user runs it: demo
 * workspace, first admin, and the CLI commands that go through the running server.
 */

const ADMIN_EMAIL = 'admin.cli@example.com';
const ADMIN_PASSWORD = 'cli-admin-password-1';
const GENERATED_PASSWORD_LINE = /created admin (\S+) with password (\S+) \(shown once/;

let demoDir: string;
let demo: ServerProcess;
let noDemoDir: string;
let noDemo: ServerProcess;
let demoOffDir: string;
let demoOff: ServerProcess;

beforeAll(async () => {
  demoDir = makeTempDir();
  demo = await startServer([], { env: { CASEBOOK_DATA_DIR: demoDir, CASEBOOK_ADMIN_EMAIL: ADMIN_EMAIL, CASEBOOK_ADMIN_PASSWORD: ADMIN_PASSWORD } });
});

afterAll(async () => {
  await cleanupAll();
});

/** A CLI command against the demo server's data dir (it goes through the running server). */
const cli = (args: string[], cwd?: string) => runCli(args, { env: cliEnv({ CASEBOOK_DATA_DIR: demoDir }), cwd });

async function signedIn(server: ServerProcess, email: string, password: string): Promise<ApiClient> {
  const session = await signIn(server.url, email, password);
  expect(session.status, `sign-in of ${email}`).toBe(200);
  return session.client!;
}

describe('start on an empty data dir (demo workspace)', () => {
  it('is ready on the embedded database and says where it runs', async () => {
    const ready = await (await fetch(`${demo.url}/readyz`)).json();
    expect(ready).toEqual({ status: 'ready', engine: 'pglite' });
    expect(demo.output()).toContain(`Casebook is running at ${demo.url} (pglite, data in ${demoDir})`);
    expect(demo.output()).toContain(DEMO_PASSWORD);
    expect(demo.output()).not.toMatch(GENERATED_PASSWORD_LINE);
  });

  it('has the demo workspace: 20 cases in several statuses, two organisations, five agents in two teams', async () => {
    const alice = await signedIn(demo, 'alice@casebook.example', DEMO_PASSWORD);

    const tickets = await alice.get('/api/v1/tickets?view=all&limit=200');
    expect(tickets.status).toBe(200);
    expect(tickets.body.items).toHaveLength(20);
    const statuses = new Set(tickets.body.items.map((ticket: { status: string }) => ticket.status));
    expect(statuses.size).toBeGreaterThanOrEqual(5);
    for (const status of ['new', 'open', 'pending-customer', 'solved', 'closed']) expect(statuses).toContain(status);

    const organizations = await alice.get('/api/v1/organizations?limit=200');
    expect(organizations.status).toBe(200);
    expect(organizations.body.items).toHaveLength(2);
    const premium = organizations.body.items.filter((org: { planCode: string | null }) => org.planCode === 'premium');
    expect(premium).toHaveLength(1);
    expect(premium[0].tamId).toEqual(expect.any(String));
    const tam = await alice.get(`/api/v1/users/${premium[0].tamId}`);
    expect(tam.status).toBe(200);
    expect(tam.body.kind).toBe('agent');
    expect(tam.body.roles).toContain('tam');

    const users = await alice.get('/api/v1/users?kind=agent&limit=200');
    expect(users.status).toBe(200);
    const demoAgents = users.body.items.filter((user: { email: string }) => user.email.endsWith('@casebook.example'));
    expect(demoAgents).toHaveLength(5);
    expect(new Set(demoAgents.map((agent: { supportLine: string }) => agent.supportLine))).toEqual(new Set(['L1', 'L2', 'L3']));

    const teams = await alice.get('/api/v1/teams');
    expect(teams.status).toBe(200);
    expect(teams.body.items).toHaveLength(2);
    const members = new Set(teams.body.items.flatMap((team: { memberIds: string[] }) => team.memberIds));
    expect(members).toEqual(new Set(demoAgents.map((agent: { id: string }) => agent.id)));
  });

  it('created the admin from CASEBOOK_ADMIN_EMAIL / CASEBOOK_ADMIN_PASSWORD', async () => {
    expect(demo.output()).toContain(`created admin ${ADMIN_EMAIL}`);
    const session = await signIn(demo.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(session.status).toBe(200);
    expect(session.user.roles).toContain('admin');
    expect((await signIn(demo.url, ADMIN_EMAIL, 'not-the-password')).status).toBe(401);
  });
});

describe('CLI commands while the server runs', () => {
  it('token create prints a token that works as a bearer for a contact', async () => {
    const result = await cli(['token', 'create', '--user', 'gary@globex.example']);
    expect(result.code, result.output).toBe(0);
    const me = await bearerClient(demo.url, tokenFrom(result)).get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'gary@globex.example', kind: 'contact', roles: ['customer-admin'] });
  });

  it('user create makes an agent with several roles', async () => {
    const result = await cli(['user', 'create', '--email', 'nadia.cli@example.org', '--name', 'Nadia CLI', '--role', 'agent', '--role', 'tam']);
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toMatch(/created agent nadia\.cli@example\.org \(agent, tam\) id=[0-9a-f-]{36}/);
    const admin = await signedIn(demo, ADMIN_EMAIL, ADMIN_PASSWORD);
    const tams = await admin.get('/api/v1/users?role=tam&limit=200');
    const nadia = tams.body.items.find((user: { email: string }) => user.email === 'nadia.cli@example.org');
    expect(nadia).toMatchObject({ kind: 'agent', name: 'Nadia CLI', roles: ['agent', 'tam'] });
  });

  it('demo load has nothing to do and db migrate is up to date', async () => {
    const [demoLoad, migrate] = await Promise.all([cli(['demo', 'load']), cli(['db', 'migrate'])]);
    expect(demoLoad.code, demoLoad.output).toBe(0);
    expect(demoLoad.stdout).toContain('nothing to do');
    expect(migrate.code, migrate.output).toBe(0);
    expect(migrate.stdout).toContain('database is up to date');
    // Still twenty cases: nothing was loaded twice.
    const alice = await signedIn(demo, 'alice@casebook.example', DEMO_PASSWORD);
    expect((await alice.get('/api/v1/tickets?view=all&limit=200')).body.items).toHaveLength(20);
  });

  it('backup --out writes the file relative to the CLI cwd, not the server cwd', async () => {
    const cwd = makeTempDir('casebook-cli-cwd-');
    const result = await cli(['backup', '--out', 'demo-backup.tgz'], cwd);
    expect(result.code, result.output).toBe(0);
    const file = join(cwd, 'demo-backup.tgz');
    expect(result.stdout).toContain(`backup written: ${file}`);
    expect(statSync(file).size).toBeGreaterThan(1000);
    expect([...readFileSync(file).subarray(0, 2)]).toEqual([0x1f, 0x8b]); // gzip
    expect(existsSync(join(REPO_ROOT, 'demo-backup.tgz'))).toBe(false);
  });

  it('a failing command run through the server reports its error and exits non-zero', async () => {
    const [unknownUser, badRole, takenEmail] = await Promise.all([
      cli(['token', 'create', '--user', 'nobody@nowhere.example']),
      cli(['user', 'create', '--email', 'role.typo@example.org', '--name', 'Role Typo', '--role', 'agnet']),
      cli(['user', 'create', '--email', 'alice@casebook.example', '--name', 'Alice Again', '--role', 'agent']),
    ]);
    expect(unknownUser.code).toBe(1);
    expect(unknownUser.output).toContain('error: USER_NOT_FOUND');
    expect(unknownUser.stdout).not.toMatch(/cbt_/);
    expect(badRole.code).toBe(1);
    expect(badRole.output).toContain('invalid --role agnet');
    expect(takenEmail.code).toBe(1);
    expect(takenEmail.output).toContain('error: USER_EMAIL_TAKEN');
  });

  it('a second start on the same data dir exits non-zero saying it is already running; the first keeps serving', async () => {
    const second = await runCli(['start'], { env: cliEnv({ CASEBOOK_DATA_DIR: demoDir, PORT: String(await freePort()) }) });
    expect(second.code).not.toBe(0);
    expect(second.output).toMatch(/already running/i);
    expect(second.output).toContain(String(demo.pid));
    expect(await (await fetch(`${demo.url}/readyz`)).json()).toEqual({ status: 'ready', engine: 'pglite' });
    const alice = await signedIn(demo, 'alice@casebook.example', DEMO_PASSWORD);
    expect((await alice.get('/api/v1/tickets?view=all&limit=200')).body.items).toHaveLength(20);
  });
});

describe('empty starts', () => {
  beforeAll(async () => {
    await demo.stop(); // done with it: leave the CPU to these two
    noDemoDir = makeTempDir();
    demoOffDir = makeTempDir();
    [noDemo, demoOff] = await Promise.all([
      startServer(['--no-demo'], { env: { CASEBOOK_DATA_DIR: noDemoDir } }),
      startServer([], { env: { CASEBOOK_DATA_DIR: demoOffDir, CASEBOOK_DEMO: '0', CASEBOOK_ADMIN_EMAIL: ADMIN_EMAIL, CASEBOOK_ADMIN_PASSWORD: ADMIN_PASSWORD } }),
    ]);
  });

  it('CASEBOOK_DEMO=0 starts an empty workspace', async () => {
    const admin = await signedIn(demoOff, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await admin.get('/api/v1/tickets?view=all&limit=200')).body.items).toEqual([]);
    expect((await admin.get('/api/v1/organizations')).body.items).toEqual([]);
    expect(demoOff.output()).not.toContain('loading the demo workspace');
  });

  it('start --no-demo without admin settings starts empty and prints a generated admin password once', async () => {
    const match = noDemo.output().match(GENERATED_PASSWORD_LINE);
    expect(match, noDemo.output()).not.toBeNull();
    const [, email, password] = match!;
    expect(noDemo.output().match(new RegExp(GENERATED_PASSWORD_LINE.source, 'g'))).toHaveLength(1);
    const admin = await signedIn(noDemo, email!, password!);
    expect((await admin.get('/api/v1/tickets?view=all&limit=200')).body.items).toEqual([]);
    expect(noDemo.output()).not.toContain('loading the demo workspace');

    // Stop it (SIGTERM: clean exit), start again on the same dir: no new password is printed.
    expect(await noDemo.stop()).toEqual({ code: 0, signal: null });
    const again = await startServer(['--no-demo'], { env: { CASEBOOK_DATA_DIR: noDemoDir } });
    expect(again.output()).not.toMatch(/password/i);
    expect(again.output()).not.toContain('created admin');
    await signedIn(again, email!, password!);
    expect(await again.stop()).toEqual({ code: 0, signal: null });
  });
});
