import { isOnShift } from './on-shift.ts';
import { lineOf, type AssigneeChoice, type ChooseAssigneeInput, type RoutingCandidate } from './routing.types.ts';

/**
 * Picks the agent who receives a case. Pure: no I/O, `now` is given.
 *
 * Who is eligible, in this order (the first failed rule is what the reason reports):
 * 1. an active agent;
 * 2. on the case's support line, exactly: an L1 case goes to an L1 agent, L2 to L2, L3 to L3.
 *    A higher line is not a fallback for a lower one (it keeps the senior lines free for
 *    escalations); a case or an agent with no line counts as L1;
 * 3. senior, when the case's plan is senior-only (Premium);
 * 4. under their max open cases (no cap recorded = no limit; a cap of 0 takes no new case).
 *
 * Among the eligible, only those on shift now in their own time zone compete (follow-the-sun:
 * when Paris has closed, the on-shift agents in Montréal get the case). Then the strategy:
 * - round-robin: the first on-shift eligible agent after the team's last assigned agent, in a
 *   ring ordered by user id (so the ring holds still while people come and go off shift);
 * - least-loaded: the lowest openCases / maxOpenCases; an agent with no cap is measured against
 *   the largest cap among the competitors (with no caps at all, the fewest open cases wins);
 *   ties go to the agent idle longest (never routed = idlest), then by user id.
 *
 * Nobody eligible on shift: a P1 goes to the least-loaded eligible agent regardless of shift (a
 * production emergency must have an owner; the notice of a P1 is urgent and reaches them at once);
 * any other case stays unassigned in the team queue for the next shift. The result always carries
 * a reason for the audit timeline.
 */
export function chooseAssignee(input: ChooseAssigneeInput): AssigneeChoice {
  const line = lineOf(input.case.supportLine);
  const exclusions = { inactive: 0, otherLine: 0, notSenior: 0, atCapacity: 0 };
  const eligible: RoutingCandidate[] = [];
  for (const candidate of input.candidates) {
    if (!candidate.isActive) exclusions.inactive++;
    else if (lineOf(candidate.supportLine) !== line) exclusions.otherLine++;
    else if (input.case.isSeniorOnly && !candidate.senior) exclusions.notSenior++;
    else if (isAtCapacity(candidate)) exclusions.atCapacity++;
    else eligible.push(candidate);
  }
  const who = `${input.case.isSeniorOnly ? 'senior ' : ''}${line} agent`;
  const onShift = eligible.filter((candidate) => isOnShift(candidate, input.now));

  if (onShift.length > 0) {
    const pool = `${onShift.length} on-shift ${who}${onShift.length === 1 ? '' : 's'}`;
    if (input.strategy === 'round-robin') {
      const chosen = nextInRing(onShift, input.lastAssignedUserId ?? null);
      const after = input.lastAssignedUserId ? `after ${input.lastAssignedUserId}` : 'first in the rotation';
      return { assigneeId: chosen.userId, rule: 'round-robin', reason: `round-robin: next of ${pool} (${after}); ${describeLoad(chosen)}` };
    }
    const chosen = leastLoaded(onShift);
    return { assigneeId: chosen.userId, rule: 'least-loaded', reason: `least-loaded: lowest load of ${pool}; ${describeLoad(chosen)}` };
  }

  if (eligible.length > 0 && input.case.priority === 'P1') {
    const chosen = leastLoaded(eligible);
    return {
      assigneeId: chosen.userId,
      rule: 'p1-off-shift',
      reason: `P1 with no ${who} on shift: least-loaded of ${eligible.length} eligible regardless of working hours; ${describeLoad(chosen)}`,
    };
  }

  if (eligible.length > 0) {
    return {
      assigneeId: null,
      rule: 'nobody-on-shift',
      reason: `left unassigned: ${eligible.length} eligible ${who}${eligible.length === 1 ? '' : 's'}, none on shift now; a ${input.case.priority} case waits in the team queue (only P1 is assigned off shift)`,
    };
  }
  const skipped = [
    exclusions.inactive && `${exclusions.inactive} inactive`,
    exclusions.otherLine && `${exclusions.otherLine} on another line`,
    exclusions.notSenior && `${exclusions.notSenior} not senior (senior-only plan)`,
    exclusions.atCapacity && `${exclusions.atCapacity} at max open cases`,
  ].filter(Boolean);
  const detail = input.candidates.length === 0 ? 'the team has no members' : `of ${input.candidates.length} member${input.candidates.length === 1 ? '' : 's'}: ${skipped.join(', ')}`;
  return { assigneeId: null, rule: 'no-eligible-agent', reason: `left unassigned: no eligible ${who} (${detail})` };
}

export function isAtCapacity(candidate: Pick<RoutingCandidate, 'maxOpenCases' | 'openCases'>): boolean {
  return candidate.maxOpenCases !== null && candidate.openCases >= candidate.maxOpenCases;
}

/** The first candidate after `lastUserId` in the ring ordered by user id (wrapping around). */
function nextInRing(candidates: RoutingCandidate[], lastUserId: string | null): RoutingCandidate {
  const ring = [...candidates].sort((left, right) => compareIds(left.userId, right.userId));
  if (lastUserId === null) return ring[0]!;
  return ring.find((candidate) => compareIds(candidate.userId, lastUserId) > 0) ?? ring[0]!;
}

/**
 * Load ratios of a pool: open / cap. An uncapped agent is measured against the largest cap of the
 * pool, or against 1 when nobody has a cap (then the fewest open cases wins).
 */
function loadRatios(candidates: readonly RoutingCandidate[]): Map<string, number> {
  const caps = candidates.map((candidate) => candidate.maxOpenCases).filter((cap): cap is number => cap !== null && cap > 0);
  const nominal = caps.length > 0 ? Math.max(...caps) : 1;
  // A pool never holds a cap of 0 (such an agent is at capacity), so `||` only replaces null.
  return new Map(candidates.map((candidate) => [candidate.userId, candidate.openCases / (candidate.maxOpenCases || nominal)]));
}

function leastLoaded(candidates: RoutingCandidate[]): RoutingCandidate {
  const ratios = loadRatios(candidates);
  const idleSince = (candidate: RoutingCandidate) => candidate.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  return [...candidates].sort(
    (left, right) =>
      ratios.get(left.userId)! - ratios.get(right.userId)! || idleSince(left) - idleSince(right) || compareIds(left.userId, right.userId),
  )[0]!;
}

function describeLoad(candidate: RoutingCandidate): string {
  const cap = candidate.maxOpenCases === null ? 'no cap' : `${Math.round((candidate.openCases / Math.max(candidate.maxOpenCases, 1)) * 100)}%`;
  return `${candidate.userId} had ${candidate.openCases}${candidate.maxOpenCases === null ? '' : `/${candidate.maxOpenCases}`} open cases (${cap})`;
}

function compareIds(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
