import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerClient, cleanupAll, cliEnv, lockFile, makeTempDir, runCli, startServer, tokenFrom, type ServerProcess } from './cli-harness.ts';

/**
 * Back up a running embedded server, stop it, restore the backup (refused while a server runs),
 * and start on the restored data: the case written before the backup is there.
 */

const ADMIN_EMAIL = 'admin.backup@example.com';
const ADMIN_PASSWORD = 'backup-admin-password';

let dataDir: string;
let workDir: string;
let server: ServerProcess;
let token: string;
let organizationId: string;
let ticket: { id: string; number: number; subject: string };

const envFor = (dir: string) => ({ CASEBOOK_DATA_DIR: dir, CASEBOOK_ADMIN_EMAIL: ADMIN_EMAIL, CASEBOOK_ADMIN_PASSWORD: ADMIN_PASSWORD });

beforeAll(async () => {
  dataDir = makeTempDir();
  workDir = makeTempDir('casebook-cli-work-');
  server = await startServer(['--no-demo'], { env: envFor(dataDir) });
});

afterAll(async () => {
  await cleanupAll();
});

describe('backup and restore of the embedded database', () => {
  it('writes a case through the API with a token created while the server runs', async () => {
    const created = await runCli(['token', 'create', '--user', ADMIN_EMAIL, '--name', 'backup-test'], { env: cliEnv({ CASEBOOK_DATA_DIR: dataDir }) });
    expect(created.code, created.output).toBe(0);
    token = tokenFrom(created);
    const api = bearerClient(server.url, token);
    const organization = await api.post('/api/v1/organizations', { name: 'Backup Test Org', planCode: 'premium', domains: ['backup-test.example'] });
    expect(organization.status, JSON.stringify(organization.body)).toBe(201);
    organizationId = organization.body.id;
    const response = await api.post('/api/v1/tickets', { subject: 'Case before the backup', body: 'Written before the backup was taken.', organizationId, priority: 'P2' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    ticket = response.body;
  });

  it('backup --out writes the file (relative to the CLI cwd)', async () => {
    const result = await runCli(['backup', '--out', 'casebook.tgz'], { env: cliEnv({ CASEBOOK_DATA_DIR: dataDir }), cwd: workDir });
    expect(result.code, result.output).toBe(0);
    expect(statSync(join(workDir, 'casebook.tgz')).size).toBeGreaterThan(1000);
  });

  it('restore refuses while the server runs, and the server keeps serving', async () => {
    const result = await runCli(['restore', 'casebook.tgz'], { env: cliEnv({ CASEBOOK_DATA_DIR: dataDir }), cwd: workDir });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`Casebook is running on ${dataDir} (process ${server.pid}`);
    expect(result.output).toContain('Stop it before restoring.');
    expect((await bearerClient(server.url, token).get(`/api/v1/tickets/${ticket.id}`)).status).toBe(200);
    expect(readdirSync(dataDir).filter((name) => name.includes('before-restore'))).toEqual([]);
  });

  it('SIGTERM stops the server cleanly and releases the lock, even with an event stream open', async () => {
    expect(existsSync(lockFile(dataDir))).toBe(true);
    // A browser tab with the live event stream (SSE) open must not keep the server from stopping.
    const controller = new AbortController();
    try {
      const stream = await fetch(`${server.url}/api/v1/events/stream`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
      expect(stream.status).toBe(200);
      const reader = stream.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('connected');
      expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      expect(await reader.read().then(({ done }) => done, () => true)).toBe(true); // the stream was ended
    } finally {
      controller.abort();
    }
    expect(server.output()).toContain('SIGTERM: stopping');
    expect(existsSync(lockFile(dataDir))).toBe(false);
    expect(existsSync(join(dataDir, 'control.json'))).toBe(false);
  });

  it('restore over the stopped data dir keeps the previous database aside', async () => {
    const result = await runCli(['restore', 'casebook.tgz'], { env: cliEnv({ CASEBOOK_DATA_DIR: dataDir }), cwd: workDir });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain('restore complete');
    const aside = readdirSync(dataDir).filter((name) => name.startsWith('pg.before-restore-'));
    expect(aside).toHaveLength(1);
    expect(result.stdout).toContain(`previous database kept at ${join(dataDir, aside[0]!)}`);
    expect(readdirSync(join(dataDir, aside[0]!)).length).toBeGreaterThan(0);
    expect(existsSync(lockFile(dataDir))).toBe(false);
    // The restored database opens.
    const status = await runCli(['db', 'status'], { env: cliEnv({ CASEBOOK_DATA_DIR: dataDir }) });
    expect(status.code, status.output).toBe(0);
    expect(status.stdout).toMatch(/^applied: 0001_foundation/m);
  });

  it('restore into a new data dir, then start: the case is there', async () => {
    const newDir = join(makeTempDir(), 'restored');
    const result = await runCli(['restore', join(workDir, 'casebook.tgz')], { env: cliEnv({ CASEBOOK_DATA_DIR: newDir }) });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).not.toContain('previous database kept');

    const restored = await startServer([], { env: envFor(newDir) });
    // The workspace is not empty, so no demo is loaded and no admin is created.
    expect(restored.output()).not.toContain('loading the demo workspace');
    expect(restored.output()).not.toContain('created admin');
    const api = bearerClient(restored.url, token); // the token lives in the database too
    const fetched = await api.get(`/api/v1/tickets/${ticket.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ subject: 'Case before the backup', number: ticket.number, organizationId, priority: 'P2' });
    const messages = await api.get(`/api/v1/tickets/${ticket.id}/messages`);
    expect(messages.body.items.map((message: { body: string }) => message.body)).toEqual(['Written before the backup was taken.']);
    const all = await api.get('/api/v1/tickets?view=all&limit=200');
    expect(all.body.items).toHaveLength(1);
    expect(await restored.stop()).toEqual({ code: 0, signal: null });
    expect(existsSync(lockFile(newDir))).toBe(false);
  });
});
