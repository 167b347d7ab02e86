import { isAbsolute, resolve } from 'node:path';
import type { Config } from '../platform/config.ts';
import type { Database } from '../platform/db/database.ts';
import type { FileStore } from '../platform/file-store.ts';
import { openRuntime } from '../platform/runtime.ts';

/**
 * How a command reaches the database. Standalone, it opens the database itself (the embedded one
 * is locked to it meanwhile); inside a running server (control route), it borrows the server's.
 */
export type CommandContext = {
  config: Config;
  mode: 'standalone' | 'in-server';
  cwd: string;
  write(line: string): void;
  withDatabase<T>(purpose: string, work: (database: Database, files: FileStore) => Promise<T>, options?: { skipMigrations?: boolean }): Promise<T>;
};

export function resolvePath(context: CommandContext, path: string): string {
  return isAbsolute(path) ? path : resolve(context.cwd, path);
}

export function standaloneContext(config: Config, write: (line: string) => void): CommandContext {
  return {
    config,
    mode: 'standalone',
    cwd: process.cwd(),
    write,
    async withDatabase(purpose, work, options = {}) {
      const runtime = await openRuntime(config, { purpose: `casebook ${purpose}`, onProgress: write, skipMigrations: options.skipMigrations });
      try {
        return await work(runtime.database, runtime.files);
      } finally {
        await runtime.close();
      }
    },
  };
}

export function inServerContext(config: Config, database: Database, files: FileStore, cwd: string, write: (line: string) => void): CommandContext {
  return { config, mode: 'in-server', cwd, write, withDatabase: (_purpose, work) => work(database, files) };
}
