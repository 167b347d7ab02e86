import type { Command } from 'commander';
import { migrateDatabase, migrationStatus } from '../../platform/db/migrate.ts';
import type { CommandContext } from '../command-context.ts';

export function addDbCommands(program: Command, context: CommandContext): void {
  const db = program.command('db').description('Database maintenance');
  db.command('migrate')
    .description('Apply pending migrations (embedded database or DATABASE_URL)')
    .action(async () => {
      const applied = await context.withDatabase('db migrate', (database) => migrateDatabase(database, context.write), { skipMigrations: true });
      context.write(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'database is up to date');
    });
  db.command('status')
    .description('List applied and pending migrations')
    .action(async () => {
      const status = await context.withDatabase('db status', migrationStatus, { skipMigrations: true });
      context.write(`applied: ${status.applied.join(', ') || '(none)'}`);
      context.write(`pending: ${status.pending.join(', ') || '(none)'}`);
    });
}
