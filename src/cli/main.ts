import { Command, CommanderError } from 'commander';
import { isDomainError } from '../platform/errors.ts';
import { loadConfig } from '../platform/config.ts';
import { standaloneContext, type CommandContext } from './command-context.ts';
import { addBackupCommands } from './commands/backup.command.ts';
import { addDbCommands } from './commands/db.command.ts';
import { addDemoCommands } from './commands/demo.command.ts';
import { addMailCommands } from './commands/mail.command.ts';
import { addMailboxCommands } from './commands/mailbox.command.ts';
import { addSlaCommands } from './commands/sla.command.ts';
import { addStartCommand } from './commands/start.command.ts';
import { addUserCommands } from './commands/user.command.ts';
import { forwardToRunningServer } from './forward.ts';

/** Commands that must run in their own process, never inside a running server. */
const LOCAL_ONLY = new Set(['start', 'restore', 'sla due', 'sla elapsed', 'mail', 'help', '--help', '-h', '--version', '-V']);

/** Whether a command runs in this process even when a server holds the embedded data dir. */
function isLocalOnly(argv: string[]): boolean {
  return LOCAL_ONLY.has(argv[0]!) || LOCAL_ONLY.has(`${argv[0]} ${argv[1] ?? ''}`);
}

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
  addMailCommands(program, context);
  addMailboxCommands(program, context);
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
    const message = (error as Error).message;
    // Node's system errors (ENOENT…) already start their message with their code.
    if (isDomainError(error) || typeof code === 'string') context.write(`error: ${message.startsWith(`${String(code)}:`) ? message : `${String(code)}: ${message}`}`);
    else context.write(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** Exits once stdout and stderr are flushed: process.exit() drops what a pipe has not taken yet. */
async function exit(code: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolveFlush) => stream.write('', resolveFlush))));
  process.exit(code);
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
  if (!config.databaseUrl && argv.length > 0 && !isLocalOnly(argv)) {
    const forwarded = await forwardToRunningServer(config.dataDir, argv, (text) => process.stdout.write(text)).catch((error: Error) => {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    });
    if (forwarded !== undefined) await exit(forwarded);
  }
  const code = await runCli(argv.length ? argv : ['--help'], standaloneContext(config, write));
  await exit(code);
}

await main();
