/**
 * Business-time arithmetic for SLA due dates. Pure: no I/O, no clock reads.
 *
 * Conventions (also in CONVENTIONS.md):
 * - Precision is the whole second: every input instant (start, from, to,
 *   pause bounds) is rounded DOWN to the second; results are whole seconds.
 * - Opening blocks are half-open [open, close). A positive duration that is
 *   used up exactly at a closing time is DUE AT THAT CLOSING TIME (e.g. 19:00
 *   + 60 min in an 08:00-20:00 day is 20:00 the same day, not 08:00 the next
 *   business day) — as in zendesk/biz, the source of the corpus vectors. A
 *   ZERO duration returns the first business moment at or after start (vector
 *   B2), so a zero target at 20:00 returns the next opening.
 * - Minutes: `{ minutes }` may be fractional; it is rounded to the nearest second.
 * - Days: `{ days: n }` (integer >= 0) moves to the n-th business date
 *   strictly after the start's local date, keeps the start's local wall time
 *   (to the second), then rolls forward to the first business moment at or
 *   after it (vectors B6, B7). A business date is a weekday with hours that
 *   is not a holiday.
 * - Pauses stop the clock: business time inside a pause does not count, so a
 *   due time moves later by exactly the business time paused before it. Pause
 *   bounds are rounded down to the second; overlapping pauses are merged.
 *   Zero + pauses = first unpaused business moment at or after start.
 * - DST: wall times are mapped with the "compatible" rule (see zone-time.ts):
 *   a skipped wall time moves forward past the gap, a repeated one takes the
 *   earlier instant. Business time is real elapsed time, so a 24/7 day is
 *   23 h or 25 h long on switch days.
 * - businessTimeBetween returns whole business SECONDS (negative if to < from).
 */
import { type BusinessCalendar, type BusinessDuration, type Pause } from './calendar.types.ts';
import {
  businessIntervals,
  compileCalendar,
  eachWorkingInterval,
  isBusinessDate,
  normalizePauses,
  MAX_IDLE_DAYS,
  type CompiledCalendar,
  type Interval,
} from './business-intervals.ts';
import { floorToSecond, MS_PER_SECOND, toInstant, toLocal } from './zone-time.ts';

function instantOf(date: Date, what: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not a valid Date`);
  return floorToSecond(ms);
}

/** First instant of the working timeline at or after `from`. */
function firstMoment(cal: CompiledCalendar, from: number, pauses: readonly Interval[]): number {
  let first = Number.NaN;
  eachWorkingInterval(cal, from, pauses, (start) => {
    first = start;
    return true;
  });
  return first;
}

function walk(cal: CompiledCalendar, from: number, ms: number, pauses: readonly Interval[]): number {
  if (ms === 0) return firstMoment(cal, from, pauses);
  let remaining = ms;
  let due = Number.NaN;
  eachWorkingInterval(cal, from, pauses, (start, end) => {
    const length = end - start;
    if (remaining <= length) {
      due = start + remaining; // == length: due at the closing time
      return true;
    }
    remaining -= length;
    return false;
  });
  return due;
}

function measure(cal: CompiledCalendar, from: number, to: number, pauses: readonly Interval[]): number {
  let total = 0;
  eachWorkingInterval(cal, from, pauses, (start, end) => {
    if (start >= to) return true;
    total += Math.min(end, to) - start;
    return false;
  });
  return total;
}

function nthBusinessDateAfter(cal: CompiledCalendar, day: number, n: number): number {
  let d = day;
  let idle = 0;
  for (let found = 0; found < n; ) {
    d++;
    if (isBusinessDate(cal, d)) {
      found++;
      idle = 0;
    } else if (++idle > MAX_IDLE_DAYS) {
      throw new RangeError(`calendar has no business date for ${MAX_IDLE_DAYS} consecutive days`);
    }
  }
  return d;
}

function addDays(cal: CompiledCalendar, start: number, days: number, pauses: readonly Interval[]): number {
  if (days === 0) return firstMoment(cal, start, pauses);
  const local = toLocal(cal.zone, start);
  const wall = toInstant(cal.zone, nthBusinessDateAfter(cal, local.day, days), local.msOfDay);
  const due = firstMoment(cal, Math.max(wall, start), []);
  if (pauses.length === 0) return due;
  const plain = measure(cal, start, due, []);
  const paused = plain - measure(cal, start, due, pauses);
  // Keep the day-based answer unless some of its business time was paused.
  return paused === 0 ? due : walk(cal, start, plain, pauses);
}

function checkDuration(duration: BusinessDuration): { unit: 'minutes' | 'days'; value: number } {
  if ('minutes' in duration) {
    const value = duration.minutes;
    if (!Number.isFinite(value) || value < 0) throw new RangeError('minutes must be a finite number >= 0');
    return { unit: 'minutes', value };
  }
  if ('days' in duration) {
    const value = duration.days;
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('days must be an integer >= 0');
    return { unit: 'days', value };
  }
  throw new RangeError('duration must be { minutes } or { days }');
}

/**
 * The due time: `start` plus `duration` of business time, skipping closed
 * hours, holidays and pauses. Outside hours, the clock starts at the next
 * opening. Returns a Date on a whole second.
 */
export function addBusinessTime(
  calendar: BusinessCalendar,
  start: Date,
  duration: BusinessDuration,
  pauses?: readonly Pause[],
): Date {
  const cal = compileCalendar(calendar);
  const from = instantOf(start, 'start');
  const stops = normalizePauses(pauses);
  const { unit, value } = checkDuration(duration);
  if (unit === 'days') return new Date(addDays(cal, from, value, stops));
  return new Date(walk(cal, from, Math.round(value * 60) * MS_PER_SECOND, stops));
}

/**
 * `addBusinessTime(calendar, start, { minutes }, pauses)` for each of several minute counts, in one
 * walk of the timeline when they are in ascending order (the warning moments of a clock): the
 * due time of a count is where the walk has consumed that much business time, exactly as its own
 * walk would find it (whole milliseconds, no rounding in between). Same validation and results as
 * the one-by-one calls, which it falls back to for counts out of order or zero.
 */
export function addBusinessMinutesEach(calendar: BusinessCalendar, start: Date, minutes: readonly number[], pauses?: readonly Pause[]): Date[] {
  const cal = compileCalendar(calendar);
  const from = instantOf(start, 'start');
  const stops = normalizePauses(pauses);
  const targets = minutes.map((value) => Math.round(checkDuration({ minutes: value }).value * 60) * MS_PER_SECOND);
  if (targets.some((ms, index) => ms === 0 || (index > 0 && ms < targets[index - 1]!))) return targets.map((ms) => new Date(walk(cal, from, ms, stops)));
  const dues: Date[] = [];
  if (targets.length === 0) return dues;
  let consumed = 0;
  eachWorkingInterval(cal, from, stops, (begin, end) => {
    const length = end - begin;
    while (dues.length < targets.length && targets[dues.length]! - consumed <= length) dues.push(new Date(begin + targets[dues.length]! - consumed));
    consumed += length;
    return dues.length === targets.length;
  });
  return dues;
}

/**
 * Business time between two instants, in whole SECONDS, minus paused time.
 * Negative when `to` is before `from`.
 */
export function businessTimeBetween(
  calendar: BusinessCalendar,
  from: Date,
  to: Date,
  pauses?: readonly Pause[],
): number {
  const cal = compileCalendar(calendar);
  const a = instantOf(from, 'from');
  const b = instantOf(to, 'to');
  const stops = normalizePauses(pauses);
  if (b < a) return -measure(cal, b, a, stops) / MS_PER_SECOND;
  return measure(cal, a, b, stops) / MS_PER_SECOND;
}

/** True when `at` lies inside an opening block ([open, close)) on a non-holiday. */
export function isBusinessMoment(calendar: BusinessCalendar, at: Date): boolean {
  const cal = compileCalendar(calendar);
  const t = instantOf(at, 'at');
  for (const iv of businessIntervals(cal, t)) return iv.start === t;
  return false;
}

/** The first business moment at or after `at` (outside pauses, if given). */
export function nextBusinessMoment(calendar: BusinessCalendar, at: Date, pauses?: readonly Pause[]): Date {
  const cal = compileCalendar(calendar);
  return new Date(firstMoment(cal, instantOf(at, 'at'), normalizePauses(pauses)));
}
