/**
 * The working timeline of a calendar: ascending, non-overlapping half-open
 * UTC intervals [start, end) in epoch milliseconds, generated one local day at
 * a time (never minute by minute), optionally with pauses cut out.
 */
import {
  BusinessCalendar,
  minutesOfDay,
  WEEKDAYS_BY_INDEX,
  type Holiday,
  type Pause,
} from './calendar.types.ts';
import {
  floorToSecond,
  isoDate,
  MS_PER_MINUTE,
  toInstant,
  toLocal,
  weekdayIndex,
  zoneFor,
  type Zone,
} from './zone-time.ts';

export type Interval = { start: number; end: number };

export type CompiledCalendar = {
  zone: Zone;
  /** Index 0 = Sunday; blocks as [fromMinute, toMinute], sorted and merged. */
  week: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  holidayDates: ReadonlySet<string>;
  yearlyHolidays: ReadonlySet<string>;
  /** Memo of dayIntervals() per civil day (bounded; the calendar is immutable once compiled). */
  dayCache: Map<number, readonly Interval[]>;
  /** Memo of isBusinessDate() per civil day (business-day targets test dates one by one). */
  businessDates: Map<number, boolean>;
};

/** A schedule with no business time for this many days in a row is treated as never open. */
export const MAX_IDLE_DAYS = 3 * 366;

const LONG_PAUSE_MS = 7 * 86_400_000;
const DAY_CACHE_LIMIT = 20_000;

const compiled = new WeakMap<BusinessCalendar, CompiledCalendar>();

function mergeBlocks(blocks: ReadonlyArray<readonly [string, string]>): Array<[number, number]> {
  const sorted = blocks
    .map(([from, to]): [number, number] => [minutesOfDay(from), minutesOfDay(to)])
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const block of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && block[0] <= last[1]) last[1] = Math.max(last[1], block[1]);
    else merged.push(block);
  }
  return merged;
}

/** Validates (zod) and pre-computes a calendar; cached per calendar object. */
export function compileCalendar(calendar: BusinessCalendar): CompiledCalendar {
  const cached = compiled.get(calendar);
  if (cached !== undefined) return cached;
  const cal = BusinessCalendar.parse(calendar);
  const holidayDates = new Set<string>();
  const yearlyHolidays = new Set<string>();
  for (const holiday of cal.holidays as Holiday[]) {
    if (typeof holiday === 'string') holidayDates.add(holiday);
    else if (holiday.yearly === true) yearlyHolidays.add(holiday.date);
    else holidayDates.add(holiday.date);
  }
  const result: CompiledCalendar = {
    zone: zoneFor(cal.timeZone),
    week: WEEKDAYS_BY_INDEX.map((name) => mergeBlocks(cal.week[name])),
    holidayDates,
    yearlyHolidays,
    dayCache: new Map(),
    businessDates: new Map(),
  };
  compiled.set(calendar, result);
  return result;
}

export function isHoliday(cal: CompiledCalendar, day: number): boolean {
  const ymd = isoDate(day);
  return cal.holidayDates.has(ymd) || cal.yearlyHolidays.has(ymd.slice(5));
}

/** A local date with opening hours that is not a holiday. */
export function isBusinessDate(cal: CompiledCalendar, day: number): boolean {
  const cached = cal.businessDates.get(day);
  if (cached !== undefined) return cached;
  const result = (cal.week[weekdayIndex(day)]?.length ?? 0) > 0 && !isHoliday(cal, day);
  if (cal.businessDates.size >= DAY_CACHE_LIMIT) cal.businessDates.clear();
  cal.businessDates.set(day, result);
  return result;
}

const NO_INTERVALS: readonly Interval[] = Object.freeze([]);

/** The raw opening intervals of one local date (unclipped, may touch neighbours); memoized. */
export function dayIntervals(cal: CompiledCalendar, day: number): readonly Interval[] {
  const cached = cal.dayCache.get(day);
  if (cached !== undefined) return cached;
  let result = NO_INTERVALS;
  if (isBusinessDate(cal, day)) {
    const blocks = cal.week[weekdayIndex(day)] ?? [];
    result = Object.freeze(
      blocks.map(([from, to]) =>
        Object.freeze({
          start: toInstant(cal.zone, day, from * MS_PER_MINUTE),
          end: toInstant(cal.zone, day, to * MS_PER_MINUTE),
        }),
      ),
    );
  }
  if (cal.dayCache.size >= DAY_CACHE_LIMIT) cal.dayCache.clear();
  cal.dayCache.set(day, result);
  return result;
}

/**
 * Business intervals at or after `from`, ascending and non-overlapping; the
 * first one is clipped to start at `from`. Infinite: callers stop consuming.
 */
export function* businessIntervals(cal: CompiledCalendar, from: number): Generator<Interval> {
  let cursor = from;
  let idle = 0;
  // Start one local day early: with odd zones a previous date's block can end after `from`.
  for (let day = toLocal(cal.zone, from).day - 1; ; day++) {
    const raw = dayIntervals(cal, day);
    idle = raw.length === 0 ? idle + 1 : 0;
    if (idle > MAX_IDLE_DAYS) {
      throw new RangeError(`calendar has no business time for ${MAX_IDLE_DAYS} consecutive days`);
    }
    for (const iv of raw) {
      const start = Math.max(iv.start, cursor);
      if (iv.end > start) {
        yield { start, end: iv.end };
        cursor = iv.end;
      }
    }
  }
}

/**
 * Pauses as sorted, merged intervals rounded DOWN to the whole second at both
 * ends. Empty pauses are dropped; a pause that ends before it starts, or an
 * invalid Date, throws a RangeError.
 */
export function normalizePauses(pauses: readonly Pause[] | undefined): Interval[] {
  const list: Interval[] = [];
  for (const pause of pauses ?? []) {
    const start = pause.from.getTime();
    const end = pause.to.getTime();
    if (Number.isNaN(start) || Number.isNaN(end)) throw new RangeError('pause with an invalid date');
    if (end < start) throw new RangeError(`pause ends before it starts: ${pause.from.toISOString()}`);
    const s = floorToSecond(start);
    const e = floorToSecond(end);
    if (e > s) list.push({ start: s, end: e });
  }
  list.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const iv of list) {
    const last = merged[merged.length - 1];
    if (last !== undefined && iv.start <= last.end) last.end = Math.max(last.end, iv.end);
    else merged.push({ ...iv });
  }
  return merged;
}

/**
 * Calls `visit(start, end)` for each interval `workingIntervals` would yield, in order, until it
 * returns true (stop). The same walk without a generator object and an interval object per step:
 * the SLA computation runs it several times per clock over days of opening hours.
 */
export function eachWorkingInterval(cal: CompiledCalendar, from: number, pauses: readonly Interval[], visit: (start: number, end: number) => boolean): void {
  let p = 0;
  let resumeAt = from;
  for (;;) {
    let cursor = resumeAt;
    let idle = 0;
    let jumpTo: number | undefined;
    // Start one local day early: with odd zones a previous date's block can end after `from`.
    days: for (let day = toLocal(cal.zone, resumeAt).day - 1; ; day++) {
      const raw = dayIntervals(cal, day);
      idle = raw.length === 0 ? idle + 1 : 0;
      if (idle > MAX_IDLE_DAYS) {
        throw new RangeError(`calendar has no business time for ${MAX_IDLE_DAYS} consecutive days`);
      }
      for (let r = 0; r < raw.length; r++) {
        const ivEnd = raw[r]!.end;
        const ivStart = Math.max(raw[r]!.start, cursor);
        if (!(ivEnd > ivStart)) continue;
        cursor = ivEnd;
        // One business interval [ivStart, ivEnd): cut the pauses out of it.
        while (p < pauses.length && pauses[p]!.end <= ivStart) p++;
        let at = ivStart;
        for (let q = p; q < pauses.length && at < ivEnd; q++) {
          const pause = pauses[q]!;
          if (pause.start >= ivEnd) break;
          if (pause.start > at && visit(at, pause.start)) return;
          at = Math.max(at, pause.end);
        }
        if (at < ivEnd) {
          if (visit(at, ivEnd)) return;
        } else if (at - ivEnd > LONG_PAUSE_MS) {
          jumpTo = at; // a long pause: restart the day walk after it instead of stepping through it
          break days;
        }
      }
    }
    resumeAt = jumpTo;
  }
}

/**
 * Business intervals at or after `from` with the (normalized) pauses cut out. The readable
 * statement of the walk: the engine runs `eachWorkingInterval`, which a property test pins to it.
 */
export function* workingIntervals(
  cal: CompiledCalendar,
  from: number,
  pauses: readonly Interval[],
): Generator<Interval> {
  let p = 0;
  let resumeAt = from;
  for (;;) {
    let jumpTo: number | undefined;
    for (const iv of businessIntervals(cal, resumeAt)) {
      while (p < pauses.length && (pauses[p]?.end ?? Infinity) <= iv.start) p++;
      let cursor = iv.start;
      for (let q = p; q < pauses.length && cursor < iv.end; q++) {
        const pause = pauses[q];
        if (pause === undefined || pause.start >= iv.end) break;
        if (pause.start > cursor) yield { start: cursor, end: pause.start };
        cursor = Math.max(cursor, pause.end);
      }
      if (cursor < iv.end) yield { start: cursor, end: iv.end };
      else if (cursor - iv.end > LONG_PAUSE_MS) {
        jumpTo = cursor; // a long pause: restart the day walk after it instead of stepping through it
        break;
      }
    }
    if (jumpTo === undefined) return;
    resumeAt = jumpTo;
  }
}
