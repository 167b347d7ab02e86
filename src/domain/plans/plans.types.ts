import { z } from 'zod';
import { BusinessCalendar } from '../sla/index.ts';

export const SlaDuration = z.union([
  z.object({ minutes: z.number().int().min(0).max(1_000_000) }).strict(),
  z.object({ days: z.number().int().min(0).max(3650) }).strict(),
]);
export type SlaDuration = z.infer<typeof SlaDuration>;

export const PriorityTargets = z
  .object({ firstResponse: SlaDuration, nextResponse: SlaDuration, resolution: SlaDuration })
  .strict()
  .describe('Targets of one priority: {minutes} or {days} in the plan calendar');
export type PriorityTargets = z.infer<typeof PriorityTargets>;

export const PlanTargets = z.object({ P1: PriorityTargets, P2: PriorityTargets, P3: PriorityTargets, P4: PriorityTargets }).strict();
export type PlanTargets = z.infer<typeof PlanTargets>;

/** The years of an .ics import whose occurrences are kept. */
export const IcsYears = z
  .object({ from: z.number().int().min(1970).max(2200), to: z.number().int().min(1970).max(2200) })
  .strict()
  .describe('Years whose occurrences are kept (default: this year and the next two)');

export const PAUSABLE_STATUSES = ['pending-customer', 'pending-vendor', 'on-hold'] as const;

export const Calendar = z.object({
  id: z.uuid(),
  name: z.string(),
  definition: BusinessCalendar,
  isTwentyFourSeven: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Calendar = z.infer<typeof Calendar>;

export const Plan = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  calendarId: z.uuid(),
  targets: PlanTargets,
  pauseStatuses: z.array(z.enum(PAUSABLE_STATUSES)),
  warningThresholds: z.array(z.number().int()),
  seniorOnly: z.boolean(),
  teamId: z.uuid().nullable(),
  namedTam: z.boolean(),
  panicQuota: z.number().int().nullable().describe('Panic presses per contract year; null = unlimited, 0 = none'),
  extras: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Plan = z.infer<typeof Plan>;

export const Contract = z.object({
  id: z.uuid(),
  organizationId: z.uuid(),
  planId: z.uuid(),
  startsOn: z.iso.date(),
  endsOn: z.iso.date(),
  createdAt: z.string(),
});
export type Contract = z.infer<typeof Contract>;

/** The policy a case runs under: its plan and the plan's calendar. */
export type SlaPolicy = { plan: Plan; calendar: Calendar; contract: Contract | null };
