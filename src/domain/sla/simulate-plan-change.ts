/**
 * What-if: how many of a plan's past cases would have breached under a changed policy. Read-only:
 * every case of the plan (created since `since`) is recomputed in memory twice — with the plan as it
 * is and with the changes — from the same history at the same moment, and the breach flags compared.
 */
import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { findPlanByCode, PAUSABLE_STATUSES, plansError, policyOfPlan, PriorityTargets } from '../plans/index.ts';
import { BusinessCalendar } from './calendar.types.ts';
import { toClockPolicy } from './clock-policy.ts';
import { computeClocks } from './compute-clocks.ts';
import { formatInstant } from './explain-clock.ts';
import { historyNow } from './recompute-ticket-sla.ts';
import { slaError } from './sla.errors.ts';
import { loadCaseHistories } from './sla-history.repo.ts';
import { listCaseIds } from './sla.repo.ts';
import { SLA_PRIORITIES, type ClockPolicy, type SlaClock, type SlaTargets } from './sla.types.ts';

/** The plan fields a simulation may change; targets merge per priority and per clock. */
function planChangesSchema() {
  const patch = PriorityTargets.partial().strict();
  return z
    .object({
      targets: z.object({ P1: patch, P2: patch, P3: patch, P4: patch }).partial().strict().optional(),
      calendar: BusinessCalendar.optional(),
      pauseStatuses: z.array(z.enum(PAUSABLE_STATUSES)).max(3).optional(),
      warningThresholds: z.array(z.number().int().min(1).max(99)).max(5).optional(),
    })
    .strict()
    .refine((changes) => Object.keys(changes).length > 0, 'name at least one of targets, calendar, pauseStatuses, warningThresholds');
}
export type PlanChanges = z.infer<ReturnType<typeof planChangesSchema>>;

export function parsePlanChanges(input: unknown): PlanChanges {
  const parsed = planChangesSchema().safeParse(input);
  if (!parsed.success) throw slaError('SLA_CHANGES_INVALID', { issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`) });
  return parsed.data;
}

export function applyPlanChanges(policy: ClockPolicy, changes: PlanChanges): ClockPolicy {
  const targets = Object.fromEntries(SLA_PRIORITIES.map((priority) => [priority, { ...policy.targets[priority], ...changes.targets?.[priority] }])) as SlaTargets;
  return {
    ...policy,
    targets,
    ...(changes.calendar && { calendar: changes.calendar, calendarName: `${policy.calendarName} (changed)` }),
    ...(changes.pauseStatuses && { pauseStatuses: changes.pauseStatuses }),
    ...(changes.warningThresholds && { warningThresholds: changes.warningThresholds }),
  };
}

export type BreachFlags = { firstResponse: boolean; resolution: boolean; nextResponse: number };
export function breachFlagsOf(clocks: readonly SlaClock[]): BreachFlags {
  return {
    firstResponse: clocks.some((clock) => clock.kind === 'first-response' && clock.isBreached),
    resolution: clocks.some((clock) => clock.kind === 'resolution' && clock.isBreached),
    nextResponse: clocks.filter((clock) => clock.kind === 'next-response' && clock.isBreached).length,
  };
}

export type SimulationFlip = { ticketId: string; number: number; before: BreachFlags; after: BreachFlags };
export type SimulationResult = {
  plan: string;
  since: string | null;
  computedAt: string;
  casesExamined: number;
  breaches: { [K in keyof BreachFlags]: { now: number; withChange: number } };
  flips: SimulationFlip[];
};

export type SimulatePlanChangeInput = { planCode: string; changes: unknown; since?: Date; now?: Date; batchSize?: number };

export async function simulatePlanChange(db: Db, input: SimulatePlanChangeInput): Promise<SimulationResult> {
  const changes = parsePlanChanges(input.changes);
  const plan = await findPlanByCode(db, input.planCode.trim().toLowerCase());
  const policy = plan ? await policyOfPlan(db, plan.id) : undefined;
  if (!plan || !policy) throw plansError('PLAN_NOT_FOUND', { code: input.planCode });
  const current = toClockPolicy(policy).clock;
  const changed = applyPlanChanges(current, changes);
  const now = input.now ?? new Date();
  const result: SimulationResult = {
    plan: plan.code,
    since: input.since?.toISOString() ?? null,
    computedAt: now.toISOString(),
    casesExamined: 0,
    breaches: { firstResponse: { now: 0, withChange: 0 }, resolution: { now: 0, withChange: 0 }, nextResponse: { now: 0, withChange: 0 } },
    flips: [],
  };
  let afterNumber: number | undefined;
  for (;;) {
    const page = await listCaseIds(db, { planIds: [plan.id], openOnly: false, since: input.since, afterNumber, limit: input.batchSize ?? 500 });
    if (page.length === 0) break;
    afterNumber = page[page.length - 1]!.number;
    const ids = page.map((ticket) => ticket.id);
    for (const history of (await loadCaseHistories(db, ids)).values()) {
      const at = historyNow(history, now);
      const before = breachFlagsOf(computeClocks(current, history.events, at));
      const after = breachFlagsOf(computeClocks(changed, history.events, at));
      result.casesExamined += 1;
      for (const key of ['firstResponse', 'resolution'] as const) {
        result.breaches[key].now += Number(before[key]);
        result.breaches[key].withChange += Number(after[key]);
      }
      result.breaches.nextResponse.now += before.nextResponse;
      result.breaches.nextResponse.withChange += after.nextResponse;
      const flips = before.firstResponse !== after.firstResponse || before.resolution !== after.resolution || before.nextResponse !== after.nextResponse;
      if (flips) result.flips.push({ ticketId: history.ticket.id, number: history.ticket.number, before, after });
    }
  }
  result.flips.sort((a, b) => a.number - b.number);
  return result;
}

const flagText = (flags: BreachFlags) => `first response ${flags.firstResponse ? 'breached' : 'ok'}, resolution ${flags.resolution ? 'breached' : 'ok'}, next-response breaches ${flags.nextResponse}`;

/** The report the CLI prints. */
export function formatSimulation(result: SimulationResult, maxFlips = 50): string[] {
  const row = (name: string, counts: { now: number; withChange: number }) => {
    const delta = counts.withChange - counts.now;
    return `  ${name.padEnd(16)} ${String(counts.now).padStart(6)} → ${String(counts.withChange).padStart(6)}  (${delta >= 0 ? '+' : ''}${delta})`;
  };
  const lines = [
    `Plan ${result.plan}: ${result.casesExamined} case(s) examined${result.since ? ` since ${formatInstant(new Date(result.since))}` : ''}, recomputed at ${formatInstant(new Date(result.computedAt))} (read-only)`,
    'Breaches        now → with the change',
    row('first response', result.breaches.firstResponse),
    row('resolution', result.breaches.resolution),
    row('next response', result.breaches.nextResponse),
    `${result.flips.length} case(s) flip:`,
    ...result.flips.slice(0, maxFlips).map((flip) => `  #${flip.number}: ${flagText(flip.before)} → ${flagText(flip.after)}`),
  ];
  if (result.flips.length > maxFlips) lines.push(`  … and ${result.flips.length - maxFlips} more (use --json for all)`);
  return lines;
}
