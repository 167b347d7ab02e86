import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatSimulation, recomputeOpenSlaClocks, runSlaDue, runSlaElapsed, simulatePlanChange } from '../../domain/sla/index.ts';
import { findPlanByCode, plansError } from '../../domain/plans/index.ts';
import { resolvePath, type CommandContext } from '../command-context.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

/** SLA commands: business-time calculations (pure, no database), `simulate` and `recompute` (database). */
export function addSlaCommands(program: Command, context: CommandContext): void {
  const sla = program.command('sla').description('SLA: business-time calculations on a calendar file, what-if simulation and recomputation of case clocks');
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
  sla
    .command('simulate')
    .description("What-if: recompute a plan's past cases with changed plan fields and compare breaches (read-only)")
    .requiredOption('--plan <code>', 'plan code, e.g. standard')
    .requiredOption('--changes <file>', 'JSON of plan fields to change: {"targets": {"P1": {"firstResponse": {"minutes": 30}}}}, {"calendar": {…}}, {"pauseStatuses": […]}, {"warningThresholds": […]}')
    .option('--since <iso>', 'only cases created at or after this instant')
    .option('--json', 'print the full result as JSON')
    .action(async (options: { plan: string; changes: string; since?: string; json?: boolean }) => {
      const text = await readFile(resolvePath(context, options.changes), 'utf8');
      let changes: unknown;
      try {
        changes = JSON.parse(text);
      } catch (error) {
        throw Object.assign(new Error(`the changes file is not valid JSON: ${(error as Error).message}`), { code: 'SLA_CHANGES_INVALID' });
      }
      const since = options.since === undefined ? undefined : new Date(options.since);
      if (since && Number.isNaN(since.getTime())) throw Object.assign(new Error(`--since is not an ISO instant: ${options.since}`), { code: 'SLA_INPUT_INVALID' });
      const result = await context.withDatabase('sla simulate', (database) => simulatePlanChange(database.db, { planCode: options.plan, changes, since }));
      if (options.json) context.write(JSON.stringify(result, null, 2));
      else for (const line of formatSimulation(result)) context.write(line);
    });
  sla
    .command('recompute')
    .description('Recompute the SLA clocks of open cases (after a calendar or plan change)')
    .option('--plan <code>', 'only cases of this plan')
    .action(async (options: { plan?: string }) => {
      const result = await context.withDatabase('sla recompute', async (database) => {
        const plan = options.plan ? await findPlanByCode(database.db, options.plan.trim().toLowerCase()) : undefined;
        if (options.plan && !plan) throw plansError('PLAN_NOT_FOUND', { code: options.plan });
        return recomputeOpenSlaClocks(database.db, { planIds: plan ? [plan.id] : undefined, concurrency: database.engine === 'postgres' ? 4 : 1 });
      });
      context.write(`recomputed ${result.cases} open case(s): ${result.clocks} clock(s), ${result.written} written, ${result.removed} removed`);
    });
}
