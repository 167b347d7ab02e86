import { openDatabase, type Database } from '../src/platform/db/database.ts';
import { migrateDatabase } from '../src/platform/db/migrate.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openRuntime, type Runtime } from '../src/platform/runtime.ts';
import { analyzeAfterLoad, bulkLoad } from './bulk-load.ts';
import { progressBar } from './system.ts';

/**
 * Loads N synthetic cases (plus the organisations, agents, contacts and teams they reference) into a
 * Casebook database, migrating it first if needed:
 *
 *   node bin/run-ts.js bench/seed.ts --cases 1000000 --database-url postgres://…
 *   node bin/run-ts.js bench/seed.ts --cases 100000 --data-dir ./data      (embedded PGlite)
 *
 * Options: --batch N (rows per statement, default 5000), --parallel N (PostgreSQL, default 2),
 * --no-messages (skip the first message of each case).
 */
type Args = { cases: number; databaseUrl?: string; dataDir?: string; batch: number; parallel: number; messages: boolean };

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: node bin/run-ts.js bench/seed.ts --cases N (--database-url URL | --data-dir DIR) [--batch N] [--parallel N] [--no-messages]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const args: Args = { cases: 0, batch: 5000, parallel: 2, messages: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => argv[++i] ?? usage(`${flag} needs a value`);
    const count = () => {
      const text = value().replace(/[_,]/g, '');
      const number = Number(text);
      if (!Number.isInteger(number) || number < 1) usage(`${flag} needs a positive integer, got ${text}`);
      return number;
    };
    if (flag === '--cases') args.cases = count();
    else if (flag === '--database-url') args.databaseUrl = value();
    else if (flag === '--data-dir') args.dataDir = value();
    else if (flag === '--batch') args.batch = count();
    else if (flag === '--parallel') args.parallel = count();
    else if (flag === '--no-messages') args.messages = false;
    else if (flag === '--help' || flag === '-h') usage('Loads N synthetic cases into a Casebook database.');
    else usage(`unknown option ${flag}`);
  }
  if (!args.cases) usage('--cases is required');
  if (!args.databaseUrl === !args.dataDir) usage('give exactly one of --database-url and --data-dir');
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let database: Database;
  let runtime: Runtime | undefined;
  if (args.databaseUrl) {
    database = await openDatabase({ databaseUrl: args.databaseUrl, poolSize: args.parallel + 1 });
  } else {
    // The embedded database is locked to one process: refuse to seed under a running server.
    runtime = await openRuntime(loadConfig({ CASEBOOK_DATA_DIR: args.dataDir, CASEBOOK_LOG_LEVEL: 'silent' }), { purpose: 'bench seed' });
    database = runtime.database;
  }
  try {
    const applied = await migrateDatabase(database);
    if (applied.length) process.stderr.write(`migrated: ${applied.join(', ')}\n`);
    const bar = progressBar('seed', args.cases);
    const result = await bulkLoad(database, {
      cases: args.cases,
      batchSize: args.batch,
      parallel: args.parallel,
      withMessages: args.messages,
      onProgress: (done) => bar.update(done),
    });
    bar.finish(args.cases);
    const analyzeStarted = Date.now();
    await analyzeAfterLoad(database);
    process.stdout.write(
      `${database.engine}: loaded ${result.cases.toLocaleString('en')} cases${result.withMessages ? ' (+1 message each)' : ''} in ${result.seconds.toFixed(1)} s ` +
        `= ${Math.round(result.casesPerSecond).toLocaleString('en')} cases/s; ${result.organizations} organisations, ${result.agents} agents, ` +
        `${result.contacts} contacts, ${result.teams} teams; vacuum analyze ${((Date.now() - analyzeStarted) / 1000).toFixed(1)} s\n`,
    );
  } finally {
    if (runtime) await runtime.close();
    else await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`\nseed failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
