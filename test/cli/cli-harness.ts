import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/postgres-server.ts';

/**
 * Runs the real CLI (`node bin/casebook.js …`) as child processes, the way a user does: servers
 * on temp data dirs and free ports, one-shot commands with their output and exit code captured.
 * Everything spawned or created here is tracked so `cleanupAll()` can end it (by PID) and remove it.
 * Each child gets its own process group, so whatever it spawns itself (a web build, pg_dump) is ended
 * with it.
 */

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(REPO_ROOT, 'bin', 'casebook.js');

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

export type Env = Record<string, string | undefined>;

/** The parent's environment without any Casebook setting, plus quiet logs and the given values. */
export function cliEnv(values: Env = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('CASEBOOK_') || key === 'DATABASE_URL' || key === 'PORT' || key === 'HOST') continue;
    env[key] = value;
  }
  env.CASEBOOK_LOG_LEVEL = 'warn';
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function makeTempDir(prefix = 'casebook-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export { freePort };

export type CliResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; output: string };

/** Runs one CLI command to completion; `output` is stdout and stderr interleaved as received. */
export function runCli(args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO_ROOT, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.add(child);
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      output += chunk.toString();
    });
    const timer = setTimeout(() => {
      killGroup(child);
      reject(new Error(`casebook ${args.join(' ')} did not finish within ${options.timeoutMs ?? 60_000} ms. Output so far:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolveRun({ code, signal, stdout, stderr, output });
    });
  });
}

export type ServerProcess = {
  child: ChildProcess;
  pid: number;
  port: number;
  url: string;
  dataDir: string | undefined;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  waitForExit(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal (SIGTERM by default) and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** Spawns a long-running CLI process (normally `start`) and returns a handle on it. */
export function spawnServer(args: string[], options: { env: NodeJS.ProcessEnv; port: number; cwd?: string }): ServerProcess {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO_ROOT, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  let output = '';
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((waiter) => waiter());
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    notify();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    notify();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.on('close', (code, signal) => {
      children.delete(child);
      notify();
      resolveExit({ code, signal });
    });
  });
  const handle: ServerProcess = {
    child,
    pid: child.pid!,
    port: options.port,
    url: `http://127.0.0.1:${options.port}`,
    dataDir: options.env.CASEBOOK_DATA_DIR,
    output: () => output,
    waitForLine(pattern, timeoutMs = 60_000) {
      return new Promise((resolveLine, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) {
            done();
            resolveLine(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`process exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}. Output:\n${output}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms. Output:\n${output}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async waitForExit(timeoutMs = 30_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`process ${child.pid} still running after ${timeoutMs} ms. Output:\n${output}`)), timeoutMs);
      });
      try {
        return await Promise.race([exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal);
      return handle.waitForExit();
    },
  };
  return handle;
}

/** Polls GET /readyz until it answers 200 "ready"; fails early if the process exits. */
export async function waitForReady(server: ServerProcess, timeoutMs = 100_000): Promise<{ status: string; engine: string }> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      await server.waitForExit(5_000).catch(() => {}); // let the last output arrive
      throw new Error(`server exited (${server.child.exitCode ?? server.child.signalCode}) before it was ready. Output:\n${server.output()}`);
    }
    try {
      const response = await fetch(`${server.url}/readyz`);
      const body = (await response.json()) as { status: string; engine: string };
      if (response.status === 200 && body.status === 'ready') return body;
      last = JSON.stringify(body);
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  throw new Error(`server not ready after ${timeoutMs} ms (last: ${last}). Output:\n${server.output()}`);
}

/** `start` with the given args, waiting until /readyz is ready and the "running at" line is printed. */
export async function startServer(args: string[], options: { env: Env; cwd?: string; port?: number }): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const server = spawnServer(['start', ...args], { env: cliEnv({ ...options.env, PORT: String(port) }), port, cwd: options.cwd });
  try {
    await waitForReady(server);
    await server.waitForLine(/Casebook is running at /);
  } catch (error) {
    await killProcess(server);
    throw error;
  }
  return server;
}

/** SIGKILL to the child's process group (the child and anything it spawned), by its PID. */
function killGroup(child: ChildProcess): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export async function killProcess(server: ServerProcess): Promise<void> {
  const running = server.child.exitCode === null && server.child.signalCode === null;
  killGroup(server.child);
  if (running) await server.waitForExit().catch(() => {});
}

/** Kills (by PID) every child process still running and removes every temp dir created here. */
export async function cleanupAll(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolveKill) => {
          if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolveKill();
          child.once('close', () => resolveKill());
          killGroup(child);
        }),
    ),
  );
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers

export type ApiResponse<T = any> = { status: number; body: T };

async function call<T>(url: string, init: RequestInit): Promise<ApiResponse<T>> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: body as T };
}

export type ApiClient = {
  get<T = any>(path: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body: unknown): Promise<ApiResponse<T>>;
};

/** A client authenticated with an API token (`casebook token create`). */
export function bearerClient(baseUrl: string, token: string): ApiClient {
  const headers = { authorization: `Bearer ${token}` };
  return {
    get: (path) => call(`${baseUrl}${path}`, { headers }),
    post: (path, body) => call(`${baseUrl}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  };
}

/** Signs in with e-mail and password (POST /api/v1/auth/login) and returns a session client. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<{ status: number; client?: ApiClient; user?: any }> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json().catch(() => null)) as { user?: unknown; csrfToken?: string } | null;
  if (response.status !== 200 || !body?.csrfToken) return { status: response.status };
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .join('; ');
  const headers = { cookie, 'x-csrf-token': body.csrfToken };
  return {
    status: response.status,
    user: body.user,
    client: {
      get: (path) => call(`${baseUrl}${path}`, { headers }),
      post: (path, payload) => call(`${baseUrl}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(payload) }),
    },
  };
}

/** The token printed by `casebook token create` (its only output line that looks like one). */
export function tokenFrom(result: CliResult): string {
  const token = result.stdout
    .split('\n')
    .map((line) => line.trim())
    .find((line) => /^cbt_[A-Za-z0-9_-]{20,}$/.test(line));
  if (!token) throw new Error(`no token in the output of token create (exit ${result.code}):\n${result.output}`);
  return token;
}

export function lockFile(dataDir: string): string {
  return join(dataDir, 'casebook.lock');
}

export function readLockPid(dataDir: string): number | undefined {
  if (!existsSync(lockFile(dataDir))) return undefined;
  return (JSON.parse(readFileSync(lockFile(dataDir), 'utf8')) as { pid: number }).pid;
}
