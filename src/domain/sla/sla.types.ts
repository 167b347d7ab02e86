/**
 * SLA clocks on cases: the policy a clock runs under, the case history it is computed from, the
 * computed clock and its explanation, and the API shape of `GET /api/v1/tickets/:id/sla`.
 *
 * Plain types and zod schemas only. The policy types restate the plan fields structurally (a
 * `PlanTargets` of the plans context fits `SlaTargets`) so this file imports no other context.
 */
import { z } from 'zod';
import type { BusinessCalendar, BusinessDuration } from './calendar.types.ts';

export const SLA_PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type SlaPriority = (typeof SLA_PRIORITIES)[number];

export const SLA_CLOCK_KINDS = ['first-response', 'next-response', 'resolution'] as const;
export type SlaClockKind = (typeof SLA_CLOCK_KINDS)[number];
export const SLA_CLOCK_STATES = ['running', 'paused', 'met', 'breached'] as const;
export type SlaClockState = (typeof SLA_CLOCK_STATES)[number];

/** Statuses that end the work on a case: they stop every clock (resolution resumes on reopen). */
export const DONE_STATUSES: readonly string[] = ['solved', 'closed'];

/** The threshold number of the breach checkpoint (sla_notices.threshold). */
export const BREACH_THRESHOLD = 100;

export type SlaTargetSet = { firstResponse: BusinessDuration; nextResponse: BusinessDuration; resolution: BusinessDuration };
export type SlaTargets = Record<SlaPriority, SlaTargetSet>;

/** What a clock is computed against: one plan and its calendar. */
export type ClockPolicy = {
  planCode: string;
  calendarName: string;
  calendar: BusinessCalendar;
  targets: SlaTargets;
  /** Case statuses during which the clocks are paused (default pending-customer). */
  pauseStatuses: readonly string[];
  /** Percent of a target at which a warning goes out, e.g. [75, 90]. */
  warningThresholds: readonly number[];
};

export const CASE_EVENT_TYPES = ['created', 'status', 'priority', 'agent-public-reply', 'customer-public-reply'] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

/** One fact of the case history; `created` carries the initial status and priority. */
export type CaseEvent = { at: Date; type: CaseEventType; status?: string; priority?: SlaPriority };

export type PauseSpan = { from: Date; to: Date; status: string; isOngoing: boolean };

/** A moment at which the timer looks at a clock: a warning threshold, or the breach (100). */
export type Checkpoint = { threshold: number; at: Date };

export type ClockExplanation = {
  plan: string;
  calendar: { name: string; timeZone: string; twentyFourSeven: boolean };
  priority: SlaPriority;
  priorityChanges: Array<{ at: string; from: SlaPriority; to: SlaPriority }>;
  target: { configured: BusinessDuration; seconds: number };
  startedAt: string;
  stoppedAt: string | null;
  stopReason: 'agent-public-reply' | 'solved' | null;
  pauses: Array<{ from: string; to: string; status: string; isOngoing: boolean; businessSeconds: number }>;
  events: Array<{ at: string; type: CaseEventType; status?: string; priority?: SlaPriority }>;
  dueAt: string;
  lines: string[];
};

export type SlaClock = {
  kind: SlaClockKind;
  cycle: number;
  state: SlaClockState;
  targetSeconds: number;
  startedAt: Date;
  dueAt: Date;
  stoppedAt: Date | null;
  /** Business seconds consumed: at the stop, or up to `now` for a running or paused clock. */
  businessSeconds: number;
  isBreached: boolean;
  /** The next checkpoint still ahead of a running clock, else null. */
  nextCheckAt: Date | null;
  /** The warning checkpoints (not for a stopped clock) and the breach checkpoint, given the pauses known now. */
  checkpoints: Checkpoint[];
};

/**
 * A clock with its explanation (`explainClocks`): what the API and the timer's notices show. The
 * explanation is built on demand from the same computation and never stored, so it always
 * reflects the current history, calendar and plan.
 */
export type ExplainedSlaClock = SlaClock & { explanation: ClockExplanation };

// API shapes.

const Duration = z.union([z.object({ minutes: z.number() }).strict(), z.object({ days: z.number() }).strict()]);

export const SlaClockExplanation = z.object({
  plan: z.string(),
  calendar: z.object({ name: z.string(), timeZone: z.string(), twentyFourSeven: z.boolean() }),
  priority: z.enum(SLA_PRIORITIES),
  priorityChanges: z.array(z.object({ at: z.string(), from: z.enum(SLA_PRIORITIES), to: z.enum(SLA_PRIORITIES) })),
  target: z.object({ configured: Duration, seconds: z.number().int() }),
  startedAt: z.string(),
  stoppedAt: z.string().nullable(),
  stopReason: z.enum(['agent-public-reply', 'solved']).nullable(),
  pauses: z.array(z.object({ from: z.string(), to: z.string(), status: z.string(), isOngoing: z.boolean(), businessSeconds: z.number().int() })),
  events: z.array(z.object({ at: z.string(), type: z.enum(CASE_EVENT_TYPES), status: z.string().optional(), priority: z.enum(SLA_PRIORITIES).optional() })),
  dueAt: z.string(),
  lines: z.array(z.string()).describe('Human-readable reasons for the due time and the state'),
});

export const SlaClockView = z.object({
  id: z.uuid().nullable().describe('The stored clock, once the case events were processed'),
  kind: z.enum(SLA_CLOCK_KINDS),
  cycle: z.number().int(),
  state: z.enum(SLA_CLOCK_STATES),
  targetSeconds: z.number().int(),
  startedAt: z.string(),
  dueAt: z.string(),
  stoppedAt: z.string().nullable(),
  businessSeconds: z.number().int(),
  isBreached: z.boolean(),
  nextCheckAt: z.string().nullable().optional().describe('Agents only: the next warning or breach check'),
  warnings: z.array(z.object({ threshold: z.number().int(), at: z.string() })).optional().describe('Agents only: warning and breach moments'),
  explanation: SlaClockExplanation,
});
export type SlaClockView = z.infer<typeof SlaClockView>;

export const SlaMetrics = z.object({
  firstResponseBusinessSeconds: z.number().int().nullable(),
  resolutionBusinessSeconds: z.number().int().nullable(),
  firstResponseBreached: z.boolean().nullable(),
  resolutionBreached: z.boolean().nullable(),
  nextResponseBreaches: z.number().int(),
});
export type SlaMetrics = z.infer<typeof SlaMetrics>;

export const TicketSla = z.object({
  planId: z.uuid().nullable().describe('The plan of the case; null = no SLA'),
  planCode: z.string().nullable(),
  isPolicyApplied: z.boolean().describe('False while the case has not been processed yet: the clocks are a preview'),
  computedAt: z.string(),
  clocks: z.array(SlaClockView),
  metrics: SlaMetrics,
});
export type TicketSla = z.infer<typeof TicketSla>;
