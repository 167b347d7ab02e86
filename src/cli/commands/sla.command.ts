import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { runSlaDue, runSlaElapsed } from '../../domain/sla/index.ts';
import { resolvePath, type CommandContext } from '../command-context.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

/** Business-time calculations for operators (pure: no database). */
export function addSlaCommands(program: Command, context: CommandContext): void {
  const sla = program.command('sla').description('Business-time calculations on a calendar file (timeZone, week, holidays)');
  sla
    .command('due')
    .description('Print the due time (ISO-8601 UTC) of a target from a start')
    .requiredOption('--calendar <file>', 'calendar JSON file')
    .requiredOption('--start <iso>', 'start instant')
    .option('--minutes <n>', 'target in business minutes')
    .option('--days <n>', 'target in business days')
    .option('--pause <from/to>', 'a pause interval, ISO/ISO (repeatable)', collect, [])
    .action(async (options: { calendar: string; start: string; minutes?: string; days?: string; pause: string[] }) => {
      const calendarJson = await readFile(resolvePath(context, options.calendar), 'utf8');
      context.write(runSlaDue({ calendarJson, start: options.start, minutes: options.minutes, days: options.days, pauses: options.pause }));
    });
  sla
    .command('elapsed')
    .description('Print the business minutes between two instants')
    .requiredOption('--calendar <file>', 'calendar JSON file')
    .requiredOption('--from <iso>', 'from instant')
    .requiredOption('--to <iso>', 'to instant')
    .option('--pause <from/to>', 'a pause interval, ISO/ISO (repeatable)', collect, [])
    .action(async (options: { calendar: string; from: string; to: string; pause: string[] }) => {
      const calendarJson = await readFile(resolvePath(context, options.calendar), 'utf8');
      context.write(runSlaElapsed({ calendarJson, from: options.from, to: options.to, pauses: options.pause }));
    });
}
