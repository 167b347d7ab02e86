/**
 * SLA clocks of one case, computed from its history. Pure: no I/O, no clock reads (`now` is given).
 *
 * Semantics (also in CONVENTIONS.md, "SLA clocks"):
 * - Clocks: `first-response` (cycle 1) from creation to the first AGENT PUBLIC reply; `next-response`
 *   cycles, each started by a customer public reply once first response is no longer awaited and no
 *   cycle is running, met by the next agent public reply; `resolution` (cycle 1) from creation to
 *   solved/closed. Internal notes are not events at all. Only the latest next-response cycle can run;
 *   earlier cycles keep their own state and breach flag for reporting.
 * - Solving or closing the case stops every running clock (a response clock stopped that way is
 *   `met`, with stopReason `solved`). A reopen resumes the resolution clock: the time while solved
 *   or closed counts as a pause. A response clock stopped by solving stays stopped.
 * - Pauses: the intervals when the case status is one of the policy's pause statuses; they apply
 *   to every clock, clipped to the clock's span. An ongoing pause counts up to `now`, so the due
 *   time of a paused clock is "due if it resumed now" and moves out while the pause lasts.
 * - Target: the one of the priority in force when the clock stopped, or now for a running clock. A
 *   priority change recomputes the due time from the clock start with the new target; the
 *   explanation lists the change. Business-day targets measure their business seconds from the start.
 * - dueAt = addBusinessTime(calendar, start, target, pauses). A clock is breached when the
 *   second-truncated moment is after dueAt: a reply within the due second is on time. A running clock
 *   past dueAt is `breached`; a stopped one is `met` with isBreached = stoppedAt > dueAt (met late).
 * - Checkpoints: for each warning threshold t (1-99) of a clock not yet stopped, the moment t% of the target business time is
 *   consumed given the pauses known now; the breach checkpoint (threshold 100) is dueAt + 1 s, the
 *   first second at which the clock is breached. nextCheckAt = the earliest checkpoint after `now`
 *   for a running clock, else null (a paused clock is re-planned by the event that resumes it).
 * - Events after `now` are ignored; events are taken in the given order (the repository sorts
 *   status/priority changes before replies of the same instant).
 * - `computeClocks` gives what is stored; `explainClocks` the same clocks with their explanation
 *   (built on demand for one case: the API, the timer's notices), which is never stored.
 */
import { addBusinessMinutesEach, addBusinessTime, businessTimeBetween, nextBusinessMoment } from './business-time.ts';
import { isTwentyFourSeven, type BusinessDuration, type Pause } from './calendar.types.ts';
import { explainClock } from './explain-clock.ts';
import {
  BREACH_THRESHOLD,
  DONE_STATUSES,
  type CaseEvent,
  type Checkpoint,
  type ClockPolicy,
  type ExplainedSlaClock,
  type SlaClock,
  type SlaClockKind,
  type SlaPriority,
  type SlaTargetSet,
} from './sla.types.ts';

type StatusSegment = { from: Date; to: Date | null; status: string };
type PriorityChange = { at: Date; from: SlaPriority; to: SlaPriority };
type StopReason = 'agent-public-reply' | 'solved';
type ClockSpan = { kind: SlaClockKind; cycle: number; startedAt: Date; stoppedAt: Date | null; stopReason: StopReason | null };
type Walk = { segments: StatusSegment[]; initialPriority: SlaPriority; priorityChanges: PriorityChange[]; spans: ClockSpan[]; events: CaseEvent[] };

const TARGET_KEYS: Record<SlaClockKind, keyof SlaTargetSet> = { 'first-response': 'firstResponse', 'next-response': 'nextResponse', resolution: 'resolution' };
const isDone = (status: string) => DONE_STATUSES.includes(status);
const floorToSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

const thresholdsByList = new WeakMap<readonly number[], readonly number[]>();
/** The warning thresholds of a policy, distinct, between 0 and 100 exclusive, ascending (computed once per list). */
function warningThresholdsOf(policy: ClockPolicy): readonly number[] {
  let thresholds = thresholdsByList.get(policy.warningThresholds);
  if (!thresholds) {
    thresholds = [...new Set(policy.warningThresholds)].filter((t) => t > 0 && t < BREACH_THRESHOLD).sort((a, b) => a - b);
    thresholdsByList.set(policy.warningThresholds, thresholds);
  }
  return thresholds;
}

function stop(span: ClockSpan | undefined, at: Date, reason: StopReason): void {
  if (span && span.stoppedAt === null) Object.assign(span, { stoppedAt: at, stopReason: reason });
}

/** The next-response cycle still running, if any (only the latest can run). */
function runningCycle(cycles: readonly ClockSpan[]): ClockSpan | undefined {
  for (const span of cycles) if (span.stoppedAt === null) return span;
  return undefined;
}

/** Replays the history: status segments, priority changes and the span of every clock. */
function walkHistory(history: readonly CaseEvent[], now: Date): Walk {
  const created = history[0];
  if (!created || created.type !== 'created' || !created.status || !created.priority) throw new RangeError('a case history starts with a created event carrying status and priority');
  const events = [created];
  const nowMs = now.getTime();
  for (let index = 1; index < history.length; index++) if (history[index]!.at.getTime() <= nowMs) events.push(history[index]!);
  let status = created.status;
  let priority = created.priority;
  const segments: StatusSegment[] = [{ from: created.at, to: null, status }];
  const priorityChanges: PriorityChange[] = [];
  const firstResponse: ClockSpan = { kind: 'first-response', cycle: 1, startedAt: created.at, stoppedAt: null, stopReason: null };
  const resolution: ClockSpan = { kind: 'resolution', cycle: 1, startedAt: created.at, stoppedAt: null, stopReason: null };
  const cycles: ClockSpan[] = [];
  for (let index = 1; index < events.length; index++) {
    const event = events[index]!;
    if (event.type === 'status' && event.status !== undefined && event.status !== status) {
      const wasDone = isDone(status);
      status = event.status;
      segments[segments.length - 1]!.to = event.at;
      segments.push({ from: event.at, to: null, status });
      if (!wasDone && isDone(status)) {
        stop(firstResponse, event.at, 'solved');
        stop(runningCycle(cycles), event.at, 'solved');
      }
    } else if (event.type === 'priority' && event.priority !== undefined && event.priority !== priority) {
      priorityChanges.push({ at: event.at, from: priority, to: event.priority });
      priority = event.priority;
    } else if (event.type === 'agent-public-reply') {
      if (firstResponse.stoppedAt === null) stop(firstResponse, event.at, 'agent-public-reply');
      else stop(runningCycle(cycles), event.at, 'agent-public-reply');
    } else if (event.type === 'customer-public-reply') {
      if (firstResponse.stoppedAt !== null && !runningCycle(cycles) && !isDone(status)) {
        cycles.push({ kind: 'next-response', cycle: cycles.length + 1, startedAt: event.at, stoppedAt: null, stopReason: null });
      }
    }
  }
  // Resolution stops at the last move from a working status into solved/closed (solved then
  // closed keeps the solve time); earlier solved stretches are pauses.
  let doneFrom = segments.length;
  while (doneFrom > 0 && isDone(segments[doneFrom - 1]!.status)) doneFrom--;
  if (doneFrom < segments.length) Object.assign(resolution, { stoppedAt: segments[doneFrom]!.from, stopReason: 'solved' });
  return { segments, initialPriority: created.priority, priorityChanges, spans: [firstResponse, ...cycles, resolution], events };
}

function priorityAt(walk: Walk, at: Date): SlaPriority {
  let priority = walk.initialPriority;
  for (const change of walk.priorityChanges) if (change.at.getTime() <= at.getTime()) priority = change.to;
  return priority;
}

/** Pause stretches of a clock between its start and `end` (solved stretches pause resolution only). */
function pausesOf(walk: Walk, span: ClockSpan, end: Date, pauseStatuses: readonly string[]) {
  const result: Array<{ from: Date; to: Date; status: string; isOngoing: boolean }> = [];
  for (const segment of walk.segments) {
    const pauses = pauseStatuses.includes(segment.status) || (span.kind === 'resolution' && isDone(segment.status));
    if (!pauses) continue;
    const from = Math.max(segment.from.getTime(), span.startedAt.getTime());
    const to = Math.min(segment.to?.getTime() ?? end.getTime(), end.getTime());
    if (to > from) result.push({ from: new Date(from), to: new Date(to), status: segment.status, isOngoing: segment.to === null && span.stoppedAt === null });
  }
  return result;
}

/** Business seconds of the target from this start (`dueWithoutPauses` saves a walk when known). */
function targetSecondsOf(policy: ClockPolicy, start: Date, target: BusinessDuration, dueWithoutPauses?: Date): number {
  if ('minutes' in target) return Math.round(target.minutes * 60);
  return businessTimeBetween(policy.calendar, start, dueWithoutPauses ?? addBusinessTime(policy.calendar, start, target));
}

/**
 * One clock. With `firstMoments` (a per-case cache of first business moments) it also builds the
 * explanation; without, it skips the work only the explanation needs (business time per pause,
 * the first counting moment, the readable lines), which is what a bulk recomputation stores.
 */
function computeClock(policy: ClockPolicy, walk: Walk, span: ClockSpan, now: Date, firstMoments: Map<number, Date>): ExplainedSlaClock;
function computeClock(policy: ClockPolicy, walk: Walk, span: ClockSpan, now: Date, firstMoments: null): SlaClock;
function computeClock(policy: ClockPolicy, walk: Walk, span: ClockSpan, now: Date, firstMoments: Map<number, Date> | null): SlaClock | ExplainedSlaClock {
  const { calendar } = policy;
  const startedAt = span.startedAt;
  const end = new Date(Math.max(startedAt.getTime(), (span.stoppedAt ?? now).getTime()));
  const priority = priorityAt(walk, end);
  const target = policy.targets[priority][TARGET_KEYS[span.kind]];
  const pauseSpans = pausesOf(walk, span, end, policy.pauseStatuses);
  const pauses: Pause[] = pauseSpans.map(({ from, to }) => ({ from, to }));
  const dueAt = addBusinessTime(calendar, startedAt, target, pauses);
  const targetSeconds = targetSecondsOf(policy, startedAt, target, pauses.length === 0 ? dueAt : undefined);
  const businessSeconds = businessTimeBetween(calendar, startedAt, end, pauses);
  const due = dueAt.getTime();
  const isBreached = floorToSecond(end.getTime()) > due;
  const isPaused = pauseSpans.some((pause) => pause.isOngoing);
  const state = span.stoppedAt ? 'met' : isBreached ? 'breached' : isPaused ? 'paused' : 'running';
  const thresholds = warningThresholdsOf(policy);
  // Warning moments matter only while the clock can still warn (a stopped clock is never checked).
  const checkpoints: Checkpoint[] = [];
  if (state !== 'met' && thresholds.length > 0) {
    const moments = addBusinessMinutesEach(calendar, startedAt, thresholds.map((threshold) => (targetSeconds * threshold) / 100 / 60), pauses);
    for (let index = 0; index < thresholds.length; index++) checkpoints.push({ threshold: thresholds[index]!, at: moments[index]! });
  }
  checkpoints.push({ threshold: BREACH_THRESHOLD, at: new Date(due + 1000) });
  const nextCheckAt = state === 'running' ? (checkpoints.find((checkpoint) => checkpoint.at.getTime() > now.getTime())?.at ?? null) : null;
  const clock: SlaClock = { kind: span.kind, cycle: span.cycle, state, targetSeconds, startedAt, dueAt, stoppedAt: span.stoppedAt, businessSeconds, isBreached, nextCheckAt, checkpoints };
  if (!firstMoments) return clock;
  const twentyFourSeven = isTwentyFourSeven(calendar);
  // First response and resolution share their start: look the first business moment up once.
  let firstMoment = twentyFourSeven ? startedAt : firstMoments.get(startedAt.getTime());
  if (!firstMoment) firstMoments.set(startedAt.getTime(), (firstMoment = nextBusinessMoment(calendar, startedAt)));
  const countingFrom = firstMoment.getTime() > startedAt.getTime() ? firstMoment : null;
  const inSpan = (at: Date) => at.getTime() >= startedAt.getTime() && at.getTime() <= end.getTime();
  const explanation = explainClock({
    kind: span.kind,
    cycle: span.cycle,
    state,
    isBreached,
    planCode: policy.planCode,
    calendar: { name: policy.calendarName, timeZone: calendar.timeZone, twentyFourSeven },
    priority,
    priorityChanges: walk.priorityChanges.filter((change) => inSpan(change.at)),
    target,
    targetSeconds,
    startedAt,
    countingFrom,
    stoppedAt: span.stoppedAt,
    stopReason: span.stopReason,
    pauses: pauseSpans.map((pause) => ({ ...pause, businessSeconds: businessTimeBetween(calendar, pause.from, pause.to) })),
    events: walk.events.filter((event) => inSpan(event.at)),
    dueAt,
    businessSeconds,
  });
  return { ...clock, explanation };
}

/**
 * Every clock of a case (first response, next-response cycles, resolution) as of `now`: what is
 * stored (the per-event recomputation, the bulk recomputation and the timer all call this).
 */
export function computeClocks(policy: ClockPolicy, history: readonly CaseEvent[], now: Date): SlaClock[] {
  const walk = walkHistory(history, now);
  return walk.spans.map((span) => computeClock(policy, walk, span, now, null));
}

/**
 * The same clocks, each with its explanation (plan, calendar, priority, target, pauses, events,
 * readable lines): built on demand for one case (`GET /tickets/:id/sla`, the timer's notices),
 * never stored. The clock fields are exactly those `computeClocks` gives.
 */
export function explainClocks(policy: ClockPolicy, history: readonly CaseEvent[], now: Date): ExplainedSlaClock[] {
  const walk = walkHistory(history, now);
  const firstMoments = new Map<number, Date>();
  return walk.spans.map((span) => computeClock(policy, walk, span, now, firstMoments));
}
