import type { Command } from 'commander';
import { sql } from 'kysely';
import { ensureFirstAdmin } from '../../domain/identity/index.ts';
import { DEMO_PASSWORD, loadDemoWorkspace } from '../../jobs/load-demo.job.ts';
import { DataDirLockedError } from '../../platform/data-dir-lock.ts';
import type { Database } from '../../platform/db/database.ts';
import { openRuntime } from '../../platform/runtime.ts';
import { startServer } from '../../server.ts';
import { inServerContext, type CommandContext } from '../command-context.ts';
import { ensureWebBuild } from '../web-build.ts';

async function isEmptyWorkspace(database: Database): Promise<boolean> {
  const row = await sql<{ count: number }>`select (select count(*) from tickets) + (select count(*) from organizations) as count`.execute(database.db);
  return Number(row.rows[0]?.count ?? 0) === 0;
}

export function addStartCommand(program: Command, context: CommandContext, runCli: (argv: string[], context: CommandContext) => Promise<number>): void {
  program
    .command('start')
    .description('Start the Casebook server')
    .option('--no-demo', 'start with an empty workspace (same as CASEBOOK_DEMO=0)')
    .option('--migrate', 'apply pending PostgreSQL migrations before starting')
    .action(async (options: { demo: boolean; migrate?: boolean }) => {
      if (context.mode === 'in-server') throw new Error('The server is already running.');
      const config = context.config;
      const write = context.write;
      let runtime;
      try {
        runtime = await openRuntime(config, { purpose: 'casebook start', migrate: options.migrate, onProgress: write });
      } catch (error) {
        if (error instanceof DataDirLockedError) throw new Error(`Casebook is already running on ${config.dataDir} (process ${error.holder.pid}). Stop it before starting another server on the same data directory.`);
        throw error;
      }
      // Built after taking the data-dir lock, so a refused second start never rebuilds anything.
      try {
        ensureWebBuild(write);
      } catch (error) {
        await runtime.close();
        throw error;
      }
      const wantsDemo = options.demo && config.loadDemo !== false;
      if (wantsDemo && (await isEmptyWorkspace(runtime.database))) {
        write('loading the demo workspace…');
        await loadDemoWorkspace(runtime.database.db, (line) => write(`  ${line}`));
        write(`demo users sign in with the password "${DEMO_PASSWORD}" (e.g. alice@casebook.example, gary@globex.example)`);
      }
      const admin = await ensureFirstAdmin(runtime.database.db, config.adminEmail, config.adminPassword);
      if (admin?.generatedPassword) write(`created admin ${admin.email} with password ${admin.generatedPassword} (shown once; change it)`);
      else if (admin) write(`created admin ${admin.email}`);
      const opened = runtime;
      const server = await startServer(opened, {
        runControlCommand: (argv, cwd, writeLine) => runCli(argv, inServerContext(config, opened.database, opened.files, cwd, writeLine)),
      }).catch(async (error: unknown) => {
        await opened.close(); // e.g. the port is taken: close the database cleanly and free the lock
        throw error;
      });
      write(`Casebook is running at ${server.url} (${runtime.database.engine}${config.databaseUrl ? '' : `, data in ${config.dataDir}`})`);
      write(`API docs: ${server.url}/api/docs`);
      if (server.smtp) write(`SMTP listener for inbound mail on ${server.smtp.host}:${server.smtp.port}${config.smtpTlsCert ? ' (STARTTLS)' : ''}`);
      const shutdown = async (signal: string) => {
        write(`${signal}: stopping…`);
        await server.stop();
        await runtime.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      await new Promise(() => {}); // run until a signal
    });
}
