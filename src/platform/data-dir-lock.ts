import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * PGlite admits one process per data directory. The process that opens it holds
 * `<dataDir>/casebook.lock` (its pid); a running server also writes `control.json` (its URL and a
 * control token, mode 0600) so CLI commands can run inside it instead of opening the files twice.
 */
export type LockInfo = { pid: number; purpose: string };
export type ControlInfo = { pid: number; url: string; token: string };

const lockPath = (dataDir: string) => join(dataDir, 'casebook.lock');
const controlPath = (dataDir: string) => join(dataDir, 'control.json');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(dataDir: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
    return isAlive(info.pid) && info.pid !== process.pid ? info : undefined;
  } catch {
    return undefined;
  }
}

export class DataDirLockedError extends Error {
  readonly holder: LockInfo;
  constructor(dataDir: string, holder: LockInfo) {
    super(`The data directory ${dataDir} is in use by process ${holder.pid} (${holder.purpose}). Stop it first, or run CLI commands while it runs: they go through it.`);
    this.holder = holder;
  }
}

/** Takes the lock or throws DataDirLockedError; a lock left by a dead process is taken over. */
export function acquireDataDirLock(dataDir: string, purpose: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath(dataDir), 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, purpose } satisfies LockInfo));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(lockPath(dataDir), { force: true });
        rmSync(controlPath(dataDir), { force: true });
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(dataDir);
      if (holder) throw new DataDirLockedError(dataDir, holder);
      rmSync(lockPath(dataDir), { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

export function newControlToken(): string {
  return randomBytes(32).toString('base64url');
}

export function writeControlInfo(dataDir: string, url: string, token: string): ControlInfo {
  const info: ControlInfo = { pid: process.pid, url, token };
  writeFileSync(controlPath(dataDir), JSON.stringify(info), { mode: 0o600 });
  chmodSync(controlPath(dataDir), 0o600);
  return info;
}

export function readControlInfo(dataDir: string): ControlInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(controlPath(dataDir), 'utf8')) as ControlInfo;
    return isAlive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}
