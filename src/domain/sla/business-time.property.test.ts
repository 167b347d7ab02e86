/** Property tests (fast-check) over several calendars and random starts, durations and pauses. */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isTwentyFourSeven, minutesOfDay, WEEKDAYS_BY_INDEX, type BusinessCalendar, type Pause } from './calendar.types.ts';
import { addBusinessMinutesEach, addBusinessTime, businessTimeBetween, isBusinessMoment } from './business-time.ts';
import { compileCalendar, eachWorkingInterval, normalizePauses, workingIntervals } from './business-intervals.ts';
import { ALL_CALENDARS } from './test-fixtures.ts';

const calendars = Object.entries(ALL_CALENDARS) as Array<[string, BusinessCalendar]>;
const SECOND = 1000;
const LO = Date.UTC(2025, 0, 1);
const HI = Date.UTC(2028, 0, 1);

/** DST switches of the fixture zones in 2026 (Toronto, Paris, Adelaide). */
const SWITCHES = [
  '2026-03-08T07:00:00Z',
  '2026-11-01T06:00:00Z',
  '2026-03-29T01:00:00Z',
  '2026-10-25T01:00:00Z',
  '2026-04-04T16:30:00Z',
  '2026-10-03T16:30:00Z',
].map((iso) => Date.parse(iso) / SECOND);
/** Whole-second instants 2025-2027, half of them within 3 days of a DST switch. */
const instant = fc
  .oneof(
    fc.integer({ min: LO / SECOND, max: HI / SECOND }),
    fc
      .tuple(fc.constantFrom(...SWITCHES), fc.integer({ min: -3 * 86_400, max: 3 * 86_400 }))
      .map(([at, delta]) => at + delta),
  )
  .map((s) => new Date(s * SECOND));
/** Minutes with second granularity, up to ~3 weeks of 24/7 time. */
const minutes = fc.integer({ min: 0, max: 30_000 * 60 }).map((s) => s / 60);
const pauseList = (start: Date): fc.Arbitrary<Pause[]> =>
  fc.array(
    fc.tuple(fc.integer({ min: -3 * 86_400, max: 40 * 86_400 }), fc.integer({ min: 0, max: 5 * 86_400 })).map(
      ([offset, length]) => {
        const from = start.getTime() + offset * SECOND;
        return { from: new Date(from), to: new Date(from + length * SECOND) };
      },
    ),
    { maxLength: 6 },
  );

const runs = { numRuns: 150 };

/** Independent reference: is the real minute starting at `ms` open? (Luxon wall clock, no interval logic.) */
function openMinute(cal: BusinessCalendar, ms: number): boolean {
  const local = DateTime.fromMillis(ms, { zone: cal.timeZone });
  const date = local.toISODate() ?? '';
  const holiday = cal.holidays.some((h) =>
    typeof h === 'string' ? h === date : h.yearly === true ? h.date === date.slice(5) : h.date === date,
  );
  if (holiday) return false;
  const name = WEEKDAYS_BY_INDEX[local.weekday % 7] ?? 'sun';
  const minute = local.hour * 60 + local.minute;
  return cal.week[name].some(([from, to]) => minute >= minutesOfDay(from) && minute < minutesOfDay(to));
}

describe.each(calendars)('properties: %s', (_name, cal) => {
  it('is monotonic in the duration (minutes)', () => {
    fc.assert(
      fc.property(instant, minutes, minutes, (start, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const dueLo = addBusinessTime(cal, start, { minutes: lo });
        const dueHi = addBusinessTime(cal, start, { minutes: hi });
        expect(dueLo.getTime()).toBeLessThanOrEqual(dueHi.getTime());
      }),
      runs,
    );
  });

  it('agrees with a brute-force minute-by-minute reference', () => {
    const minuteStart = instant.map((d) => new Date(Math.floor(d.getTime() / 60_000) * 60_000));
    fc.assert(
      fc.property(minuteStart, fc.integer({ min: 1, max: 1500 }), (start, d) => {
        let t = start.getTime();
        for (let left = d; left > 0; t += 60_000) if (openMinute(cal, t)) left--;
        expect(addBusinessTime(cal, start, { minutes: d }).getTime()).toBe(t);
      }),
      { numRuns: 12 },
    );
  });

  it('is monotonic in the duration (days)', () => {
    fc.assert(
      fc.property(instant, fc.nat(40), fc.nat(40), (start, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addBusinessTime(cal, start, { days: lo }).getTime()).toBeLessThanOrEqual(
          addBusinessTime(cal, start, { days: hi }).getTime(),
        );
      }),
      runs,
    );
  });

  it('round-trips: businessTimeBetween(start, addBusinessTime(start, d)) == d', () => {
    fc.assert(
      fc.property(instant, minutes, (start, d) => {
        const due = addBusinessTime(cal, start, { minutes: d });
        expect(businessTimeBetween(cal, start, due)).toBe(Math.round(d * 60));
      }),
      runs,
    );
  });

  it('round-trips with pauses too', () => {
    fc.assert(
      fc.property(
        instant.chain((start) => fc.tuple(fc.constant(start), minutes, pauseList(start))),
        ([start, d, pauses]) => {
          const due = addBusinessTime(cal, start, { minutes: d }, pauses);
          expect(businessTimeBetween(cal, start, due, pauses)).toBe(Math.round(d * 60));
        },
      ),
      runs,
    );
  });

  it('lands inside business hours (a positive target may end exactly at a closing time)', () => {
    fc.assert(
      fc.property(instant, minutes, (start, d) => {
        const due = addBusinessTime(cal, start, { minutes: d });
        if (d === 0) {
          expect(isBusinessMoment(cal, due)).toBe(true);
        } else {
          // due is in (open, close]: the second before it is business time
          expect(isBusinessMoment(cal, new Date(due.getTime() - SECOND))).toBe(true);
        }
        if (isTwentyFourSeven(cal)) expect(due.getTime()).toBe(start.getTime() + Math.round(d * 60) * SECOND);
      }),
      runs,
    );
  });

  it('zero lands on the first business moment at or after start', () => {
    fc.assert(
      fc.property(instant, (start) => {
        const due = addBusinessTime(cal, start, { minutes: 0 });
        expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime());
        expect(isBusinessMoment(cal, due)).toBe(true);
        expect(businessTimeBetween(cal, start, due)).toBe(0);
        expect(addBusinessTime(cal, start, { days: 0 }).getTime()).toBe(due.getTime());
      }),
      runs,
    );
  });

  it('day units land on a business moment, never before start', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 30 }), (start, n) => {
        const due = addBusinessTime(cal, start, { days: n });
        expect(isBusinessMoment(cal, due)).toBe(true);
        expect(due.getTime()).toBeGreaterThan(start.getTime());
      }),
      runs,
    );
  });

  it('pauses never make a due time earlier (minutes and days)', () => {
    fc.assert(
      fc.property(
        instant.chain((start) => fc.tuple(fc.constant(start), minutes, fc.nat(15), pauseList(start))),
        ([start, d, n, pauses]) => {
          const plain = addBusinessTime(cal, start, { minutes: d }).getTime();
          expect(addBusinessTime(cal, start, { minutes: d }, pauses).getTime()).toBeGreaterThanOrEqual(plain);
          const plainDays = addBusinessTime(cal, start, { days: n }).getTime();
          expect(addBusinessTime(cal, start, { days: n }, pauses).getTime()).toBeGreaterThanOrEqual(plainDays);
        },
      ),
      runs,
    );
  });

  it('elapsed time is additive and pauses only subtract', () => {
    fc.assert(
      fc.property(instant, instant, instant, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        const ab = businessTimeBetween(cal, a, b);
        const bc = businessTimeBetween(cal, b, c);
        expect(ab + bc).toBe(businessTimeBetween(cal, a, c));
        expect(businessTimeBetween(cal, c, a)).toBe(-(ab + bc));
        const paused = businessTimeBetween(cal, a, c, [{ from: b, to: c }]);
        expect(paused).toBe(ab);
      }),
      { numRuns: 60 },
    );
  });
});

describe.each(calendars)('the callback walk matches the interval generator: %s', (_name, cal) => {
  it('eachWorkingInterval visits exactly the intervals workingIntervals yields, and stops when told', () => {
    const compiledCalendar = compileCalendar(cal);
    fc.assert(
      fc.property(
        instant.chain((start) => fc.tuple(fc.constant(start), pauseList(start), fc.integer({ min: 1, max: 40 }))),
        ([start, pauses, count]) => {
          const stops = normalizePauses(pauses);
          const expected: Array<[number, number]> = [];
          for (const iv of workingIntervals(compiledCalendar, start.getTime(), stops)) {
            expected.push([iv.start, iv.end]);
            if (expected.length === count) break;
          }
          const visited: Array<[number, number]> = [];
          eachWorkingInterval(compiledCalendar, start.getTime(), stops, (from, to) => {
            visited.push([from, to]);
            return visited.length === count;
          });
          expect(visited).toEqual(expected);
        },
      ),
      runs,
    );
  });
});

describe.each(calendars)('several durations in one walk: %s', (_name, cal) => {
  it('addBusinessMinutesEach gives what addBusinessTime gives for each count (ascending, equal, zero, out of order), with pauses', () => {
    fc.assert(
      fc.property(
        instant.chain((start) => fc.tuple(fc.constant(start), pauseList(start), fc.array(minutes, { maxLength: 4 }), fc.boolean())),
        ([start, pauses, counts, sorted]) => {
          const list = sorted ? [...counts].sort((a, b) => a - b) : counts;
          const each = addBusinessMinutesEach(cal, start, list, pauses).map((due) => due.getTime());
          expect(each).toEqual(list.map((count) => addBusinessTime(cal, start, { minutes: count }, pauses).getTime()));
        },
      ),
      runs,
    );
  });
});
