import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerClient, cleanupAll, cliEnv, lockFile, makeTempDir, readLockPid, runCli, startServer, tokenFrom, type ServerProcess } from './cli-harness.ts';

/**
 * Crash safety of the embedded database: every case the API confirmed (201) before a `kill -9`
 * is there after the next start, which takes over the dead process's stale lock by itself.
 */

const ADMIN_EMAIL = 'admin.crash@example.com';
const ADMIN_PASSWORD = 'crash-admin-password';
const CASES = 30;

let dataDir: string;
let server: ServerProcess;
let token: string;
let organizationId: string;
const confirmed: { id: string; subject: string; body: string }[] = [];

const env = () => ({ CASEBOOK_DATA_DIR: dataDir, CASEBOOK_ADMIN_EMAIL: ADMIN_EMAIL, CASEBOOK_ADMIN_PASSWORD: ADMIN_PASSWORD });

beforeAll(async () => {
  dataDir = makeTempDir();
  server = await startServer(['--no-demo'], { env: env() });
});

afterAll(async () => {
  await cleanupAll();
});

describe('kill -9 of a running embedded server', () => {
  it(`keeps all ${CASES} confirmed cases and their first messages`, async () => {
    const created = await runCli(['token', 'create', '--user', ADMIN_EMAIL], { env: cliEnv({ CASEBOOK_DATA_DIR: dataDir }) });
    expect(created.code, created.output).toBe(0);
    token = tokenFrom(created);
    const api = bearerClient(server.url, token);
    const organization = await api.post('/api/v1/organizations', { name: 'Crash Test Org', domains: ['crash-test.example'] });
    expect(organization.status, JSON.stringify(organization.body)).toBe(201);
    organizationId = organization.body.id;

    for (let index = 1; index <= CASES; index++) {
      const subject = `Crash case ${index}`;
      const body = `First message of crash case ${index}: ${'x'.repeat(index * 10)}`;
      const response = await api.post('/api/v1/tickets', { subject, body, organizationId });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      confirmed.push({ id: response.body.id, subject, body });
    }

    // kill -9: no shutdown handler runs, so the lock of the dead process stays behind.
    expect(await server.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(readLockPid(dataDir)).toBe(server.pid);

    const restarted = await startServer(['--no-demo'], { env: env() });
    expect(await (await fetch(`${restarted.url}/readyz`)).json()).toEqual({ status: 'ready', engine: 'pglite' });
    expect(readLockPid(dataDir)).toBe(restarted.pid);
    expect(restarted.output()).not.toContain('created admin');

    const after = bearerClient(restarted.url, token);
    const all = await after.get('/api/v1/tickets?view=all&limit=200');
    expect(all.status).toBe(200);
    expect(all.body.items.map((ticket: { id: string }) => ticket.id).sort()).toEqual(confirmed.map((ticket) => ticket.id).sort());
    const messages = await Promise.all(confirmed.map((ticket) => after.get(`/api/v1/tickets/${ticket.id}/messages`)));
    messages.forEach((response, index) => {
      expect(response.status).toBe(200);
      expect(response.body.items[0]?.body).toBe(confirmed[index]!.body);
    });
    for (const ticket of all.body.items as { id: string; subject: string }[]) {
      expect(ticket.subject).toBe(confirmed.find((entry) => entry.id === ticket.id)!.subject);
    }

    // A CLI command after the crash goes through the new server, not the dead one.
    const status = await runCli(['db', 'status'], { env: cliEnv({ CASEBOOK_DATA_DIR: dataDir }) });
    expect(status.code, status.output).toBe(0);
    expect(status.stdout).toMatch(/^applied: 0001_foundation/m);

    expect(await restarted.stop()).toEqual({ code: 0, signal: null });
    expect(existsSync(lockFile(dataDir))).toBe(false);
  });
});
