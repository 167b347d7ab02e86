/**
 * The explanation of an SLA clock: which plan, calendar, priority, target, pauses and events
 * produced its due time and state, as data and as a few human-readable lines. Pure.
 *
 * Everything in it is visible to the customer of the case (public replies, status and priority
 * changes, the plan and its calendar): it never carries an internal note, an author or an agent.
 */
import type { BusinessDuration } from './calendar.types.ts';
import type { CaseEvent, ClockExplanation, SlaClockKind, SlaClockState, SlaPriority } from './sla.types.ts';

/** `2026-11-24T14:00Z`, or with seconds when they are not zero. */
export function formatInstant(at: Date): string {
  return shortIso(isoOf(at));
}

const shortIso = (iso: string) => (iso.slice(17, 19) === '00' ? `${iso.slice(0, 16)}Z` : `${iso.slice(0, 19)}Z`);

const MS_PER_DAY = 86_400_000;
const dayPrefixes = new Map<number, string>();
const pad2 = (value: number) => (value < 10 ? `0${value}` : `${value}`);

/**
 * `Date#toISOString()`, with the `YYYY-MM-DDT` part memoised per UTC day: an explanation holds a
 * dozen instants and a recomputation formats millions of them, mostly on the same few days.
 */
function isoOf(at: Date): string {
  const time = at.getTime();
  const day = Math.floor(time / MS_PER_DAY);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    const iso = at.toISOString();
    if (iso.length !== 24) return iso; // years outside 0000-9999
    if (dayPrefixes.size > 10_000) dayPrefixes.clear();
    dayPrefixes.set(day, (prefix = iso.slice(0, 11)));
  }
  const rest = time - day * MS_PER_DAY;
  const ms = rest % 1000;
  const seconds = Math.floor(rest / 1000);
  return `${prefix}${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}.${ms < 10 ? `00${ms}` : ms < 100 ? `0${ms}` : ms}Z`;
}

/** Business seconds as `1h 30m`, `45m`, `26h`, `10s`, `0m`. */
export function formatBusinessDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const parts = [hours && `${hours}h`, minutes && `${minutes}m`, rest && `${rest}s`].filter(Boolean);
  return parts.length ? parts.join(' ') : '0m';
}

export function formatTarget(target: BusinessDuration): string {
  if ('days' in target) return `${target.days} business day${target.days === 1 ? '' : 's'}`;
  return formatBusinessDuration(target.minutes * 60);
}

export type ExplainInput = {
  kind: SlaClockKind;
  cycle: number;
  state: SlaClockState;
  isBreached: boolean;
  planCode: string;
  calendar: { name: string; timeZone: string; twentyFourSeven: boolean };
  priority: SlaPriority;
  priorityChanges: Array<{ at: Date; from: SlaPriority; to: SlaPriority }>;
  target: BusinessDuration;
  targetSeconds: number;
  startedAt: Date;
  /** First business moment at or after the start, when the start is outside business hours. */
  countingFrom: Date | null;
  stoppedAt: Date | null;
  stopReason: 'agent-public-reply' | 'solved' | null;
  pauses: Array<{ from: Date; to: Date; status: string; isOngoing: boolean; businessSeconds: number }>;
  events: CaseEvent[];
  dueAt: Date;
  businessSeconds: number;
};

const KIND_NAMES: Record<SlaClockKind, string> = { 'first-response': 'First response', 'next-response': 'Next response', resolution: 'Resolution' };

function pausedSummary(pauses: ExplainInput['pauses']): string {
  const byStatus = new Map<string, number>();
  for (const pause of pauses) byStatus.set(pause.status, (byStatus.get(pause.status) ?? 0) + pause.businessSeconds);
  const parts = [...byStatus].filter(([, seconds]) => seconds > 0).map(([status, seconds]) => `+${formatBusinessDuration(seconds)} paused while ${status}`);
  return parts.length ? `, ${parts.join(', ')}` : '';
}

function stateLine(input: ExplainInput, instant: (at: Date) => string): string {
  const used = `${formatBusinessDuration(input.businessSeconds)} of ${formatBusinessDuration(input.targetSeconds)}`;
  const stop = input.stoppedAt ? instant(input.stoppedAt) : '';
  switch (input.state) {
    case 'met': {
      const verdict = input.isBreached ? `late: after the due time ${instant(input.dueAt)}` : 'on time';
      if (input.stopReason === 'solved') {
        const before = input.kind === 'resolution' ? '' : ' before an agent public reply';
        return `Stopped at ${stop}: the case was solved${before} (${used} business time used, ${verdict})`;
      }
      return `Met at ${stop} by an agent public reply (${used} business time used, ${verdict})`;
    }
    case 'breached':
      return `Breached: the due time ${instant(input.dueAt)} has passed (${used} business time used)`;
    case 'paused': {
      const ongoing = input.pauses.find((pause) => pause.isOngoing);
      const since = ongoing ? ` since ${instant(ongoing.from)} while ${ongoing.status}` : '';
      return `Paused${since}: the due time moves out until the case resumes (${used} business time used)`;
    }
    default:
      return `Running: ${used} business time used`;
  }
}

export function explainClock(input: ExplainInput): ClockExplanation {
  const iso = isoOf;
  const instant = formatInstant;
  const calendarText = input.calendar.twentyFourSeven ? `around the clock (${input.calendar.name})` : `on ${input.calendar.name} (${input.calendar.timeZone})`;
  const lines = [
    `Due ${instant(input.dueAt)}: ${formatTarget(input.target)} ${calendarText} from ${instant(input.startedAt)}${pausedSummary(input.pauses)}`,
  ];
  if (input.kind === 'next-response') lines.push(`Cycle ${input.cycle} started by a customer public reply at ${instant(input.startedAt)}`);
  if (input.countingFrom) lines.push(`Started outside business hours: the clock counts from ${instant(input.countingFrom)}`);
  input.priorityChanges.forEach((change, index) => {
    const isLast = index === input.priorityChanges.length - 1;
    const recomputed = isLast ? `: the due time was recomputed from the start with the ${change.to} target (${formatTarget(input.target)})` : '';
    lines.push(`Priority changed from ${change.from} to ${change.to} at ${instant(change.at)}${recomputed}`);
  });
  for (const pause of input.pauses) {
    if (pause.status === 'solved' || pause.status === 'closed') lines.push(`Reopened at ${instant(pause.to)}: the time while ${pause.status} (${formatBusinessDuration(pause.businessSeconds)} business) does not count`);
  }
  lines.push(`${KIND_NAMES[input.kind]} — ${stateLine(input, instant)}`);
  const events: ClockExplanation['events'] = [];
  for (const event of input.events) {
    const entry: ClockExplanation['events'][number] = { at: iso(event.at), type: event.type };
    if (event.status !== undefined) entry.status = event.status;
    if (event.priority !== undefined) entry.priority = event.priority;
    events.push(entry);
  }
  return {
    plan: input.planCode,
    calendar: input.calendar,
    priority: input.priority,
    priorityChanges: input.priorityChanges.map((change) => ({ at: iso(change.at), from: change.from, to: change.to })),
    target: { configured: input.target, seconds: input.targetSeconds },
    startedAt: iso(input.startedAt),
    stoppedAt: input.stoppedAt ? iso(input.stoppedAt) : null,
    stopReason: input.stopReason,
    pauses: input.pauses.map((pause) => ({ from: iso(pause.from), to: iso(pause.to), status: pause.status, isOngoing: pause.isOngoing, businessSeconds: pause.businessSeconds })),
    events,
    dueAt: iso(input.dueAt),
    lines,
  };
}
