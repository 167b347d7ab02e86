import { Command, CommanderError } from 'commander';
import { isDomainError } from '../platform/errors.ts';
import { loadConfig } from '../platform/config.ts';
import { standaloneContext, type CommandContext } from './command-context.ts';
import { addBackupCommands } from './commands/backup.command.ts';
import { addDbCommands } from './commands/db.command.ts';
import { addDemoCommands } from './commands/demo.command.ts';
import { addSlaCommands } from './commands/sla.command.ts';
import { addStartCommand } from './commands/start.command.ts';
import { addUserCommands } from './commands/user.command.ts';
import { forwardToRunningServer } from './forward.ts';

/** Commands that must run in their own process, never inside a running server. */
const LOCAL_ONLY = new Set(['start', 'restore', 'sla', 'help', '--help', '-h', '--version', '-V']);

function buildProgram(context: CommandContext): Command {
  const program = new Command('casebook')
    .description('Casebook support operations platform')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (text) => context.write(text.trimEnd()), writeErr: (text) => context.write(text.trimEnd()) });
  addStartCommand(program, context, runCli);
  addDbCommands(program, context);
  addUserCommands(program, context);
  addDemoCommands(program, context);
  addBackupCommands(program, context);
  addSlaCommands(program, context);
  return program;
}

/** Runs one CLI invocation in the given context; returns its exit code (never exits itself). */
export async function runCli(argv: string[], context: CommandContext): Promise<number> {
  try {
    await buildProgram(context).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const code = (error as { code?: unknown }).code;
    if (isDomainError(error) || typeof code === 'string') context.write(`error: ${String(code)}: ${(error as Error).message}`);
    else context.write(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const write = (line: string) => process.stdout.write(`${line}\n`);
  if (!config.databaseUrl && argv.length > 0 && !LOCAL_ONLY.has(argv[0]!)) {
    const forwarded = await forwardToRunningServer(config.dataDir, argv, (text) => process.stdout.write(text)).catch((error: Error) => {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    });
    if (forwarded !== undefined) process.exit(forwarded);
  }
  const code = await runCli(argv.length ? argv : ['--help'], standaloneContext(config, write));
  process.exit(code);
}

await main();
