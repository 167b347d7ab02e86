import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL server from the local binaries: initdb in a temp dir, a free loopback
 * port, torn down by stop(). Used by the test suite and the benchmarks. As root, it runs as the
 * `postgres` (or `nobody`) user, since PostgreSQL refuses to run as root.
 */
export type PostgresServer = { url: (database?: string) => string; port: number; binDir: string; stop(): Promise<void> };

export function findPostgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((version) => join(root, version, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const user of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
      const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
      return { uid, gid };
    } catch {
      // try the next user
    }
  }
  throw new Error('Running as root and found neither a postgres nor a nobody user to run PostgreSQL as.');
}

export async function startPostgres(options: { settings?: Record<string, string> } = {}): Promise<PostgresServer> {
  const binDir = findPostgresBinDir();
  if (!binDir) throw new Error('No PostgreSQL binaries under /usr/lib/postgresql/*/bin');
  const dir = mkdtempSync(join(tmpdir(), 'casebook-pg-'));
  const identity = runAs();
  if (identity) chownSync(dir, identity.uid, identity.gid);
  const dataDir = join(dir, 'data');
  execFileSync(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'casebook', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], {
    stdio: 'pipe',
    ...identity,
  });
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: dir, max_connections: '200', ...options.settings };
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const args = ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])];
    const child: ChildProcess = spawn(join(binDir, 'postgres'), args, { stdio: ['ignore', 'ignore', 'pipe'], ...identity });
    let log = '';
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const ready = await waitReady(binDir, port, child);
    if (!ready) {
      child.kill('SIGKILL');
      if (/could not bind|Address already in use/.test(log)) continue;
      throw new Error(`PostgreSQL did not start:\n${log}`);
    }
    return {
      port,
      binDir,
      url: (database = 'postgres') => `postgres://casebook@127.0.0.1:${port}/${database}`,
      async stop() {
        await new Promise<void>((resolveStop) => {
          if (child.exitCode !== null) return resolveStop();
          child.once('exit', () => resolveStop());
          child.kill('SIGINT'); // fast shutdown
        });
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw new Error('Could not find a free port for PostgreSQL');
}

async function waitReady(binDir: string, port: number, child: ChildProcess): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) return false;
    try {
      execFileSync(join(binDir, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q'], { stdio: 'ignore' });
      return true;
    } catch {
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
  }
  return false;
}
