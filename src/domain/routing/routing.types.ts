import { z } from 'zod';
import { SupportLine, type WorkingHours } from '../identity/index.ts';
import { Priority } from '../tickets/index.ts';

export const ROUTING_STRATEGIES = ['round-robin', 'least-loaded', 'manual'] as const;
export const RoutingStrategy = z.enum(ROUTING_STRATEGIES);
export type RoutingStrategy = z.infer<typeof RoutingStrategy>;
/** The strategies that pick an agent (manual leaves the case in the team queue). */
export type AssigningStrategy = Exclude<RoutingStrategy, 'manual'>;

/** The order of the support lines: a case is escalated up this list, never down. */
export const LINE_ORDER: readonly SupportLine[] = ['L1', 'L2', 'L3'];

/**
 * The line a case or an agent is on. Both default to L1: a case nobody placed on a line is
 * first-line work, and an agent with no line recorded works the first line.
 */
export function lineOf(line: SupportLine | null | undefined): SupportLine {
  return line ?? 'L1';
}

/** An agent who might receive a case, with the live numbers routing needs. */
export type RoutingCandidate = {
  userId: string;
  isActive: boolean;
  senior: boolean;
  supportLine: SupportLine | null;
  timeZone: string;
  workingHours: WorkingHours | null;
  /** null = no cap. */
  maxOpenCases: number | null;
  openCases: number;
  /** When routing last gave this agent a case; null or absent = never (the idlest). */
  lastAssignedAt?: Date | null;
};

/** What routing needs to know about the case. */
export type RoutingCase = { supportLine: SupportLine | null; isSeniorOnly: boolean; priority: Priority };

export type ChooseAssigneeInput = {
  candidates: readonly RoutingCandidate[];
  case: RoutingCase;
  strategy: AssigningStrategy;
  /** The team's last assigned agent: round-robin continues after them. */
  lastAssignedUserId?: string | null;
  now: Date;
};

/** Which rule produced the decision (kept on the audit timeline beside the human reason). */
export type AssignmentRule = 'round-robin' | 'least-loaded' | 'p1-off-shift' | 'nobody-on-shift' | 'no-eligible-agent';

export type AssigneeChoice =
  | { assigneeId: string; rule: 'round-robin' | 'least-loaded' | 'p1-off-shift'; reason: string }
  | { assigneeId: null; rule: 'nobody-on-shift' | 'no-eligible-agent'; reason: string };

export const TeamRouting = z.object({
  teamId: z.uuid(),
  strategy: RoutingStrategy,
  lastAssignedUserId: z.uuid().nullable(),
  updatedAt: z.string().nullable().describe('null while the team still runs on the default (manual)'),
});
export type TeamRouting = z.infer<typeof TeamRouting>;

/** Impacts a customer or agent reports; other lowercase slugs are accepted too. */
export const KNOWN_IMPACTS = ['production-down', 'degraded', 'question'] as const;
export const Impact = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{0,49}$/, 'a lowercase slug such as production-down, degraded, question')
  .describe(`Business impact: ${KNOWN_IMPACTS.join(', ')} or another slug`);

export const PriorityRule = z.object({
  id: z.uuid(),
  product: z.string().nullable().describe('null = any product'),
  impact: z.string(),
  priority: Priority,
  position: z.number().int(),
  createdAt: z.string(),
});
export type PriorityRule = z.infer<typeof PriorityRule>;

export const PriorityEvaluation = z.object({
  priority: Priority.nullable().describe('null when no rule matches: the caller keeps its own default'),
  ruleId: z.uuid().nullable(),
  reason: z.string(),
});
export type PriorityEvaluation = z.infer<typeof PriorityEvaluation>;
