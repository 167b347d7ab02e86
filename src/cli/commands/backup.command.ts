import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { openDatabase } from '../../platform/db/database.ts';
import { acquireDataDirLock, DataDirLockedError } from '../../platform/data-dir-lock.ts';
import { resolvePath, type CommandContext } from '../command-context.ts';

/** pg_dump / psql from PATH, else from the local PostgreSQL installation. */
export function postgresTool(name: 'pg_dump' | 'psql'): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) if (existsSync(join(root, version, 'bin', name))) return join(root, version, 'bin', name);
  }
  return name;
}

function run(command: string, args: string[], write: (line: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach(write));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${command} exited with ${code}`))));
  });
}

export function addBackupCommands(program: Command, context: CommandContext): void {
  program
    .command('backup')
    .description('Back up the database: a PGlite data-dir dump (.tar.gz) for the embedded database, pg_dump SQL for PostgreSQL')
    .requiredOption('--out <file>', 'where to write the backup')
    .action(async (options: { out: string }) => {
      const out = resolvePath(context, options.out);
      if (context.config.databaseUrl) {
        context.write(`running pg_dump into ${out}…`);
        await run(postgresTool('pg_dump'), ['--no-owner', '--no-privileges', '--clean', '--if-exists', '--file', out, context.config.databaseUrl], context.write);
      } else {
        await context.withDatabase('backup', async (database) => {
          context.write('dumping the embedded database…');
          const dump = await database.pglite!.dumpDataDir('gzip');
          await writeFile(out, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
        });
      }
      context.write(`backup written: ${out} (${(await stat(out)).size} bytes)`);
    });

  program
    .command('restore')
    .description('Restore a backup made by `casebook backup` (the server must be stopped for the embedded database)')
    .argument('<file>', 'the backup file')
    .action(async (file: string) => {
      const source = resolvePath(context, file);
      if (context.mode === 'in-server') throw new Error('Stop the running server before restoring the embedded database.');
      if (context.config.databaseUrl) {
        context.write(`restoring ${source} with psql…`);
        await run(postgresTool('psql'), ['--quiet', '--set', 'ON_ERROR_STOP=1', '--file', source, context.config.databaseUrl], context.write);
        context.write('restore complete');
        return;
      }
      const dataDir = context.config.dataDir;
      let release: () => void;
      try {
        release = acquireDataDirLock(dataDir, 'casebook restore');
      } catch (error) {
        if (error instanceof DataDirLockedError) throw new Error(`Casebook is running on ${dataDir} (process ${error.holder.pid}, ${error.holder.purpose}). Stop it before restoring.`);
        throw error;
      }
      try {
        const bytes = await readFile(source);
        const pgDir = join(dataDir, 'pg');
        const aside = `${pgDir}.before-restore-${Date.now()}`;
        if (existsSync(pgDir)) {
          await rename(pgDir, aside);
          context.write(`previous database kept at ${aside}`);
        }
        context.write('loading the dump…');
        try {
          const database = await openDatabase({ dataDir, loadDataDir: new Blob([bytes]) });
          await database.close();
        } catch (error) {
          await rm(pgDir, { recursive: true, force: true });
          if (existsSync(aside)) await rename(aside, pgDir);
          throw error;
        }
        context.write('restore complete');
      } finally {
        release();
      }
    });
}
