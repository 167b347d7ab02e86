import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort } from './postgres-server.ts';

/**
 * A private Dovecot IMAP server for tests: Debian's `dovecot-imapd` binary with its own config in
 * a temp dir (base_dir, state_dir, maildir store, passwd-file with one static user, log file),
 * listening on a free loopback port without TLS. It never touches a system Dovecot. As root, the
 * login and internal processes run as the package's `dovenull`/`dovecot` users (or `nobody`) and
 * the mail store belongs to the internal user; otherwise everything runs as the current user.
 * `stop()` ends the process by PID and keeps the store, `start()` brings it back on the same port,
 * `dispose()` stops it and removes the temp dir.
 */
export const DOVECOT_BINARY = '/usr/sbin/dovecot';

/** Dovecot's master and its IMAP server (dovecot-core alone has no `imap`). */
export function hasDovecot(): boolean {
  return existsSync(DOVECOT_BINARY) && existsSync('/usr/lib/dovecot/imap');
}

export type DovecotServer = {
  port: number;
  user: string;
  password: string;
  /** imap://user:password@127.0.0.1:port/FOLDER, the form a mailbox's imap_url takes. */
  imapUrl(folder?: string): string;
  /** IMAP APPEND through a real client; returns the new message's UID. */
  deliver(raw: Buffer | string, folder?: string, flags?: string[]): Promise<number>;
  /** UID → flags of every message in the folder. */
  flags(folder?: string): Promise<Map<number, Set<string>>>;
  createFolder(folder: string): Promise<void>;
  deleteFolder(folder: string): Promise<void>;
  isRunning(): boolean;
  log(): string;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
};

type Identity = { internalUser: string; internalGroup: string; loginUser: string; uid: number; gid: number };

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.split(':')[0] === name);
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function groupName(gid: number): string {
  const line = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((entry) => entry.split(':')[2] === String(gid));
  if (!line) throw new Error(`No group with id ${gid} in /etc/group for Dovecot's internal group`);
  return line.split(':')[0]!;
}

function chooseIdentity(): Identity {
  if (process.getuid?.() !== 0) {
    const me = userInfo();
    return { internalUser: me.username, internalGroup: groupName(me.gid), loginUser: me.username, uid: me.uid, gid: me.gid };
  }
  const internalUser = ['dovecot', 'nobody'].find((name) => lookupUser(name));
  const loginUser = ['dovenull', 'nobody'].find((name) => lookupUser(name));
  if (!internalUser || !loginUser) throw new Error('Running as root and found neither the dovecot/dovenull users nor nobody to run Dovecot as.');
  const ids = lookupUser(internalUser)!;
  return { internalUser, internalGroup: groupName(ids.gid), loginUser, ...ids };
}

function configText(dir: string, port: number, identity: Identity): string {
  return `# Private test instance (test/support/dovecot-server.ts)
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = casebook-test-${randomBytes(4).toString('hex')}
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = ${dir}/dovecot.log
default_internal_user = ${identity.internalUser}
default_internal_group = ${identity.internalGroup}
default_login_user = ${identity.loginUser}
mail_location = maildir:${dir}/mail/%u
first_valid_uid = 1
first_valid_gid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${identity.uid} gid=${identity.gid} home=${dir}/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`;
}

/** Resolves once the server sends its IMAP greeting. */
function greets(port: number): Promise<boolean> {
  return new Promise((resolveGreeting) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (isReady: boolean) => {
      socket.destroy();
      resolveGreeting(isReady);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk: Buffer) => done(chunk.toString().startsWith('* OK')));
  });
}

export async function startDovecot(): Promise<DovecotServer> {
  if (!hasDovecot()) throw new Error(`No Dovecot IMAP server (${DOVECOT_BINARY}, /usr/lib/dovecot/imap): install the Debian package dovecot-imapd`);
  const identity = chooseIdentity();
  const dir = mkdtempSync(join(tmpdir(), 'casebook-dovecot-'));
  chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub));
  chownSync(join(dir, 'mail'), identity.uid, identity.gid);
  const user = 'casebook';
  const password = randomBytes(9).toString('base64url');
  writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
  const configPath = join(dir, 'dovecot.conf');
  let port = 0;
  let child: ChildProcess | undefined;
  let output = '';

  const launch = async (): Promise<boolean> => {
    writeFileSync(configPath, configText(dir, port, identity));
    output = '';
    // Its own process group, so stop() can end the sessions it forked along with the master.
    const started = spawn(DOVECOT_BINARY, ['-F', '-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child = started;
    for (let attempt = 0; attempt < 100; attempt++) {
      if (started.exitCode !== null || started.signalCode !== null) return false;
      if (await greets(port)) return true;
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
    return false;
  };

  const readLog = () => {
    const path = join(dir, 'dovecot.log');
    return `${output}${existsSync(path) ? readFileSync(path, 'utf8') : ''}`;
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolveStop) => {
      running.once('exit', () => resolveStop());
      if (running.pid) process.kill(running.pid, 'SIGTERM');
    });
    // Dovecot's master leaves an IMAP session with a connected client running after it exits: a
    // server that went down drops its connections, so end what is left of the group.
    try {
      if (running.pid) process.kill(-running.pid, 'SIGKILL');
    } catch {
      // nothing left
    }
  };

  const start = async () => {
    if (child) return;
    if (!(await launch())) {
      await stop();
      throw new Error(`Dovecot did not start on port ${port}:\n${readLog()}`);
    }
  };

  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    if (await launch()) break;
    await stop();
    if (!/Address already in use/.test(readLog())) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`Dovecot did not start:\n${readLog()}`);
    }
  }
  if (!child) throw new Error('Could not find a free port for Dovecot');

  const withClient = async <T>(work: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user, pass: password }, logger: false, disableAutoIdle: true });
    client.on('error', () => {});
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };

  return {
    port,
    user,
    password,
    imapUrl: (folder = 'INBOX') => `imap://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(folder)}`,
    deliver: (raw, folder = 'INBOX', flags = []) =>
      withClient(async (client) => {
        const appended = await client.append(folder, typeof raw === 'string' ? Buffer.from(raw) : raw, flags);
        if (!appended || appended.uid === undefined) throw new Error(`APPEND into ${folder} returned no UID`);
        return appended.uid;
      }),
    flags: (folder = 'INBOX') =>
      withClient(async (client) => {
        const opened = await client.mailboxOpen(folder, { readOnly: true });
        const result = new Map<number, Set<string>>();
        if (opened.exists === 0) return result;
        // Unsolicited FETCH responses (flag changes made by other sessions) carry no UID: skip them.
        for await (const message of client.fetch('1:*', { uid: true, flags: true })) if (message.uid) result.set(message.uid, message.flags ?? new Set());
        return result;
      }),
    createFolder: (folder) => withClient(async (client) => void (await client.mailboxCreate(folder))),
    deleteFolder: (folder) => withClient(async (client) => void (await client.mailboxDelete(folder))),
    isRunning: () => child !== undefined,
    log: readLog,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
