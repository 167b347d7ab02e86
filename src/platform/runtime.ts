import { join } from 'node:path';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrateDatabase, migrationStatus } from './db/migrate.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';
import { createFileStore, type FileStore } from './file-store.ts';

export type Runtime = { config: Config; database: Database; files: FileStore; close(): Promise<void> };

export class MigrationsPendingError extends Error {
  constructor(pending: string[]) {
    super(`The database needs migrations (${pending.join(', ')}). Run \`casebook db migrate\` first (or start with --migrate).`);
  }
}

/**
 * Opens the database and file store. The embedded database is locked to this process and
 * migrated automatically; PostgreSQL is migrated only when `migrate` is true (otherwise a pending
 * migration is an error, so several app nodes never race on schema changes at boot).
 */
export async function openRuntime(
  config: Config,
  options: { purpose: string; migrate?: boolean; skipMigrations?: boolean; onProgress?: (line: string) => void },
): Promise<Runtime> {
  const isEmbedded = !config.databaseUrl;
  const release = isEmbedded ? acquireDataDirLock(config.dataDir, options.purpose) : () => {};
  let database: Database | undefined;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, preparedStatements: config.preparedStatements });
    if (options.skipMigrations) {
      // The caller (db migrate, db status) deals with migrations itself.
    } else if (isEmbedded || options.migrate) {
      await migrateDatabase(database, options.onProgress);
    } else {
      const status = await migrationStatus(database);
      if (status.pending.length > 0) throw new MigrationsPendingError(status.pending);
    }
  } catch (error) {
    await database?.close().catch(() => {});
    release();
    throw error;
  }
  const opened = database;
  return {
    config,
    database: opened,
    files: createFileStore(join(config.dataDir, 'files')),
    async close() {
      await opened.close();
      release();
    },
  };
}
