import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerClient, cleanupAll, cliEnv, makeTempDir, runCli, startServer, tokenFrom, type ServerProcess } from './cli-harness.ts';

/**
 * `casebook mailbox add|list`: sent to the running server while it holds the embedded data dir,
 * run in its own process once the server is stopped. IMAP passwords never appear in the output.
 */

const ADMIN_EMAIL = 'admin.mailbox@example.com';
const ADMIN_PASSWORD = 'mailbox-admin-password';
const IMAP_PASSWORD = 'Imap-Secret-4711';

let dataDir: string;
let server: ServerProcess;

const env = () => cliEnv({ CASEBOOK_DATA_DIR: dataDir });

beforeAll(async () => {
  dataDir = makeTempDir();
  server = await startServer(['--no-demo'], { env: { CASEBOOK_DATA_DIR: dataDir, CASEBOOK_ADMIN_EMAIL: ADMIN_EMAIL, CASEBOOK_ADMIN_PASSWORD: ADMIN_PASSWORD } });
});

afterAll(async () => {
  await cleanupAll();
});

describe('casebook mailbox', () => {
  it('adds and lists mailboxes through the running server and on its own', { timeout: 240_000 }, async () => {
    const token = tokenFrom(await runCli(['token', 'create', '--user', ADMIN_EMAIL], { env: env() }));
    const api = bearerClient(server.url, token);
    expect((await api.post('/api/v1/teams', { name: 'Tier One' })).status).toBe(201);

    const empty = await runCli(['mailbox', 'list'], { env: env() });
    expect(empty.code, empty.output).toBe(0);
    expect(empty.stdout).toContain('no mailboxes yet');

    const added = await runCli(['mailbox', 'add', '--address', 'Help@Example.test', '--team', 'TIER ONE', '--imap', `imaps://help:${IMAP_PASSWORD}@imap.example.test:993/INBOX`], { env: env() });
    expect(added.code, added.output).toBe(0);
    expect(added.stdout).toMatch(/^created mailbox help@example\.test {2}team=Tier One {2}imap=imaps:\/\/help:\*\*\*@imap\.example\.test:993\/INBOX {2}id=[0-9a-f-]{36}$/m);
    expect(added.output).not.toContain(IMAP_PASSWORD);
    // The API sees what the CLI created.
    const listed = await api.get('/api/v1/mailboxes');
    expect(listed.body.items).toEqual([expect.objectContaining({ address: 'help@example.test', imapUrl: 'imaps://help:***@imap.example.test:993/INBOX', isActive: true })]);

    const duplicate = await runCli(['mailbox', 'add', '--address', 'help@example.test', '--team', 'Tier One'], { env: env() });
    expect(duplicate.code).toBe(1);
    expect(duplicate.output).toContain('MAILBOX_ADDRESS_TAKEN');
    const noTeam = await runCli(['mailbox', 'add', '--address', 'other@example.test', '--team', 'Nobody'], { env: env() });
    expect(noTeam.code).toBe(1);
    expect(noTeam.output).toMatch(/MAILBOX_TEAM_INVALID: no team named "Nobody" \(teams: Tier One\)/);
    const badImap = await runCli(['mailbox', 'add', '--address', 'other@example.test', '--team', 'Tier One', '--imap', 'imap.example.test'], { env: env() });
    expect(badImap.code).toBe(1);
    expect(badImap.output).toContain('MAILBOX_IMAP_URL_INVALID');

    expect(await server.stop()).toEqual({ code: 0, signal: null });

    // No server: the command opens the embedded database itself.
    const standalone = await runCli(['mailbox', 'add', '--address', 'sales@example.test', '--team', 'Tier One', '--name', 'Sales desk'], { env: env() });
    expect(standalone.code, standalone.output).toBe(0);
    const all = await runCli(['mailbox', 'list', '--json'], { env: env() });
    expect(all.code, all.output).toBe(0);
    const mailboxes = all.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { address: string; name: string; imapUrl: string | null });
    expect(mailboxes.map(({ address, name, imapUrl }) => ({ address, name, imapUrl }))).toEqual([
      { address: 'help@example.test', name: '', imapUrl: 'imaps://help:***@imap.example.test:993/INBOX' },
      { address: 'sales@example.test', name: 'Sales desk', imapUrl: null },
    ]);
    expect(all.output).not.toContain(IMAP_PASSWORD);
  });
});
