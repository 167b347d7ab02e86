import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { describeMessage, summariseDescription } from '../../domain/mail/index.ts';
import { resolvePath, type CommandContext } from '../command-context.ts';

/** Mail tools for operators (pure: no database). */
export function addMailCommands(program: Command, context: CommandContext): void {
  const mail = program.command('mail').description('Inbound mail tools');
  mail
    .command('parse')
    .description('Show what Casebook extracts from raw messages (.eml files): one line per file')
    .argument('<files...>', 'raw RFC 5322 message files')
    .option('--json', 'print one JSON object per line')
    .action(async (files: string[], options: { json?: boolean }) => {
      // One file at a time, printed as soon as it is read: hundreds of files in one run stay cheap.
      for (const file of files) {
        let raw: Buffer;
        try {
          raw = await readFile(resolvePath(context, file));
        } catch (error) {
          const description = { file, error: `MAIL_FILE_UNREADABLE: ${(error as Error).message}` };
          context.write(options.json ? JSON.stringify(description) : summariseDescription(description));
          continue;
        }
        const description = await describeMessage(file, raw);
        context.write(options.json ? JSON.stringify(description) : summariseDescription(description));
      }
    });
}
