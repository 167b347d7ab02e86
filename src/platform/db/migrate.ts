import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './database.ts';

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export type Migration = { name: string; sql: string; checksum: string };

export function listMigrations(): Migration[] {
  return readdirSync(migrationsDir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(migrationsDir, file), 'utf8');
      return { name: file.replace(/\.sql$/, ''), sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

async function ensureLedger(database: Database): Promise<void> {
  await sql`create table if not exists schema_migrations (
    name text primary key, checksum text not null, applied_at timestamptz not null default now())`.execute(database.db);
}

export async function appliedMigrations(database: Database): Promise<Map<string, string>> {
  await ensureLedger(database);
  const rows = await database.db.selectFrom('schema_migrations').select(['name', 'checksum']).execute();
  return new Map(rows.map((row) => [row.name, row.checksum]));
}

export type MigrationStatus = { applied: string[]; pending: string[] };

export async function migrationStatus(database: Database): Promise<MigrationStatus> {
  const applied = await appliedMigrations(database);
  const all = listMigrations();
  return {
    applied: all.filter((migration) => applied.has(migration.name)).map((migration) => migration.name),
    pending: all.filter((migration) => !applied.has(migration.name)).map((migration) => migration.name),
  };
}

/** Applies pending migrations in order, each in its own transaction. Returns the names applied. */
export async function migrateDatabase(database: Database, onProgress?: (line: string) => void): Promise<string[]> {
  const applied = await appliedMigrations(database);
  const done: string[] = [];
  for (const migration of listMigrations()) {
    const known = applied.get(migration.name);
    if (known) {
      if (known !== migration.checksum) onProgress?.(`warning: migration ${migration.name} changed after it was applied`);
      continue;
    }
    onProgress?.(`applying ${migration.name}…`);
    if (await database.applyMigration(migration.name, migration.sql, migration.checksum)) done.push(migration.name);
  }
  return done;
}
