/** Hand-computed vectors for Casebook's own calendars (expected values derived by hand, not by the code). */
import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from './calendar.types.ts';
import { addBusinessTime, businessTimeBetween, isBusinessMoment, nextBusinessMoment } from './business-time.ts';
import { formatUtc } from './sla-cli.ts';
import { ADELAIDE, ALWAYS_TORONTO, ALWAYS_UTC, KOLKATA, LUNCH, STANDARD } from './test-fixtures.ts';

type DueCase = {
  id: string;
  cal: BusinessCalendar;
  start: string;
  minutes?: number;
  days?: number;
  pauses?: Array<[string, string]>;
  due: string;
  why: string;
};
type ElapsedCase = {
  id: string;
  cal: BusinessCalendar;
  from: string;
  to: string;
  pauses?: Array<[string, string]>;
  minutes: number;
  why: string;
};

const toPauses = (list: Array<[string, string]> = []) => list.map(([from, to]) => ({ from: new Date(from), to: new Date(to) }));

const DUE: DueCase[] = [
  // Standard plan: America/Toronto, Mon-Fri 08:00-20:00
  { id: 'S1', cal: STANDARD, start: '2026-03-07T00:00:00Z', minutes: 120, due: '2026-03-09T13:00:00Z', why: 'Fri 19:00 EST +2h: 1h Fri, 1h Mon after spring-forward -> Mon 09:00 EDT' },
  { id: 'S2', cal: STANDARD, start: '2026-03-06T15:00:00Z', days: 1, due: '2026-03-09T14:00:00Z', why: 'Fri 10:00 EST +1 day -> Mon 10:00 EDT (wall time kept)' },
  { id: 'S3', cal: STANDARD, start: '2026-10-30T14:00:00Z', days: 1, due: '2026-11-02T15:00:00Z', why: 'Fri 10:00 EDT +1 day -> Mon 10:00 EST' },
  { id: 'S4', cal: STANDARD, start: '2026-10-30T23:30:00Z', minutes: 60, due: '2026-11-02T13:30:00Z', why: 'Fri 19:30 EDT +60: 30 Fri, Mon 08:30 EST' },
  { id: 'S5', cal: STANDARD, start: '2026-06-30T22:00:00Z', minutes: 240, due: '2026-07-02T14:00:00Z', why: 'Tue 18:00 +4h, Canada Day Wed closed -> Thu 10:00 EDT' },
  { id: 'S6', cal: STANDARD, start: '2026-06-30T13:15:30Z', days: 1, due: '2026-07-02T13:15:30Z', why: 'Tue 09:15:30 +1 day skips Canada Day, keeps seconds' },
  { id: 'S7', cal: STANDARD, start: '2026-12-25T00:00:00Z', minutes: 120, due: '2026-12-28T14:00:00Z', why: 'Thu Dec 24 19:00 EST +2h: Christmas Fri + weekend skipped' },
  { id: 'S8', cal: STANDARD, start: '2026-12-31T15:00:00Z', days: 2, due: '2027-01-05T15:00:00Z', why: 'Thu Dec 31 10:00 +2 days: Jan 1 (yearly) skipped -> Tue 10:00' },
  { id: 'S9', cal: STANDARD, start: '2026-04-02T23:00:00Z', minutes: 120, due: '2026-04-06T13:00:00Z', why: 'Thu 19:00 EDT +2h, Good Friday 2026 closed' },
  { id: 'S10', cal: STANDARD, start: '2027-03-25T23:30:00Z', minutes: 60, due: '2027-03-29T12:30:00Z', why: 'Good Friday 2027 ({date} object holiday)' },
  { id: 'S11', cal: STANDARD, start: '2026-03-07T17:00:00Z', minutes: 0, due: '2026-03-09T12:00:00Z', why: 'zero on Saturday -> Mon 08:00 EDT' },
  { id: 'S12', cal: STANDARD, start: '2026-03-09T23:00:00Z', minutes: 60, due: '2026-03-10T00:00:00Z', why: 'CLOSING CONVENTION: Mon 19:00 +60 = Mon 20:00, not Tue 08:00' },
  { id: 'S13', cal: STANDARD, start: '2026-03-10T00:00:00Z', minutes: 0, due: '2026-03-10T12:00:00Z', why: 'zero at closing time -> next opening' },
  { id: 'S14', cal: STANDARD, start: '2026-03-10T00:00:00Z', minutes: 1, due: '2026-03-10T12:01:00Z', why: 'start at closing time counts from the next opening' },
  { id: 'S15', cal: STANDARD, start: '2026-03-02T13:00:00Z', minutes: 10_000, due: '2026-03-19T22:40:00Z', why: '10,000 min = 13 days x 720 + 640, across spring-forward' },
  { id: 'S16', cal: STANDARD, start: '2026-03-09T12:00:00Z', minutes: 0.5, due: '2026-03-09T12:00:30Z', why: 'second precision' },
  { id: 'S17', cal: STANDARD, start: '2026-03-09T12:00:00.999Z', minutes: 1, due: '2026-03-09T12:01:00Z', why: 'milliseconds are truncated' },
  { id: 'S18', cal: STANDARD, start: '2026-06-29T13:00:00Z', days: 5, due: '2026-07-07T13:00:00Z', why: 'Mon 09:00 +5 days with Canada Day inside' },
  { id: 'S19', cal: STANDARD, start: '2026-07-01T14:00:00Z', days: 1, due: '2026-07-02T14:00:00Z', why: 'from a holiday: next business date' },
  { id: 'S20', cal: STANDARD, start: '2026-03-10T01:00:00Z', days: 1, due: '2026-03-11T12:00:00Z', why: 'Mon 21:00 +1 day = Tue 21:00, rolls to Wed 08:00' },
  { id: 'S21', cal: STANDARD, start: '2026-03-07T17:00:00Z', days: 0, due: '2026-03-09T12:00:00Z', why: 'zero days = first business moment' },
  { id: 'S22', cal: STANDARD, start: '2026-03-09T15:00:00Z', days: 0, due: '2026-03-09T15:00:00Z', why: 'zero days inside hours = start' },
  // pauses
  { id: 'P1', cal: STANDARD, start: '2026-03-09T12:00:00Z', minutes: 240, pauses: [['2026-03-09T13:00:00Z', '2026-03-09T14:30:00Z']], due: '2026-03-09T17:30:00Z', why: 'Mon 08:00 +4h, paused 09:00-10:30 -> 13:30 EDT' },
  { id: 'P2', cal: STANDARD, start: '2026-03-09T12:00:00Z', minutes: 240, pauses: [['2026-03-09T13:00:00Z', '2026-03-09T14:00:00Z'], ['2026-03-09T13:30:00Z', '2026-03-09T14:30:00Z']], due: '2026-03-09T17:30:00Z', why: 'overlapping pauses merge' },
  { id: 'P3', cal: STANDARD, start: '2026-03-09T22:00:00Z', minutes: 180, pauses: [['2026-03-09T23:30:00Z', '2026-03-10T13:00:00Z']], due: '2026-03-10T14:30:00Z', why: 'pause over closing and next opening' },
  { id: 'P4', cal: STANDARD, start: '2026-03-06T15:00:00Z', days: 1, pauses: [['2026-03-06T19:00:00Z', '2026-03-06T20:00:00Z']], due: '2026-03-09T15:00:00Z', why: 'days + 1h pause -> 1h later' },
  { id: 'P5', cal: STANDARD, start: '2026-03-09T12:00:00Z', minutes: 0, pauses: [['2026-03-09T12:00:00Z', '2026-03-09T12:45:00Z']], due: '2026-03-09T12:45:00Z', why: 'zero while paused -> end of pause' },
  { id: 'P6', cal: STANDARD, start: '2026-03-06T15:00:00Z', minutes: 720, pauses: [['2026-03-07T05:00:00Z', '2026-03-09T04:00:00Z']], due: '2026-03-09T14:00:00Z', why: 'pause over the weekend changes nothing' },
  { id: 'P7', cal: STANDARD, start: '2026-03-09T12:00:00Z', minutes: 60, pauses: [['2026-03-09T12:00:00Z', '2026-04-20T12:00:00Z']], due: '2026-04-20T13:00:00Z', why: '6-week pause' },
  { id: 'P8', cal: STANDARD, start: '2026-03-09T12:00:00Z', minutes: 1, pauses: [['2026-03-09T12:00:00.400Z', '2026-03-09T12:00:10.900Z']], due: '2026-03-09T12:01:10Z', why: 'pause bounds rounded down: 12:00:00-12:00:10 = 10 s' },
  // lunch breaks: Europe/Paris 09:00-12:00 + 13:00-17:00
  { id: 'L1', cal: LUNCH, start: '2026-03-02T10:30:00Z', minutes: 60, due: '2026-03-02T12:30:00Z', why: '11:30 CET +1h over lunch -> 13:30' },
  { id: 'L2', cal: LUNCH, start: '2026-03-02T08:00:00Z', minutes: 180, due: '2026-03-02T11:00:00Z', why: 'morning block used up exactly -> due at 12:00 (its close)' },
  { id: 'L3', cal: LUNCH, start: '2026-03-02T11:15:00Z', minutes: 0, due: '2026-03-02T12:00:00Z', why: 'zero during lunch -> 13:00 CET' },
  { id: 'L4', cal: LUNCH, start: '2026-03-27T15:00:00Z', minutes: 120, due: '2026-03-30T08:00:00Z', why: 'Fri 16:00 CET +2h over spring-forward -> Mon 10:00 CEST' },
  { id: 'L5', cal: LUNCH, start: '2026-10-23T14:30:00Z', minutes: 60, due: '2026-10-26T08:30:00Z', why: 'Fri 16:30 CEST +1h over fall-back -> Mon 09:30 CET' },
  { id: 'L6', cal: LUNCH, start: '2026-03-02T11:30:00Z', days: 1, due: '2026-03-03T12:00:00Z', why: 'Mon 12:30 +1 day = Tue 12:30 (lunch) -> 13:00' },
  // 24/7
  { id: 'F1', cal: ALWAYS_TORONTO, start: '2026-03-07T17:00:00Z', minutes: 1440, due: '2026-03-08T17:00:00Z', why: '1440 business minutes = 24 real hours, DST or not' },
  { id: 'F2', cal: ALWAYS_TORONTO, start: '2026-03-07T17:00:00Z', days: 1, due: '2026-03-08T16:00:00Z', why: '1 day keeps wall time: 23 real hours on spring-forward' },
  { id: 'F3', cal: ALWAYS_TORONTO, start: '2026-10-31T05:30:00Z', days: 1, due: '2026-11-01T05:30:00Z', why: 'ambiguous 01:30 -> earlier instant (EDT)' },
  { id: 'F4', cal: ALWAYS_TORONTO, start: '2026-10-31T05:30:00Z', days: 2, due: '2026-11-02T06:30:00Z', why: 'Mon 01:30 EST' },
  { id: 'F5', cal: ALWAYS_TORONTO, start: '2026-03-07T07:30:00Z', days: 1, due: '2026-03-08T07:30:00Z', why: 'skipped 02:30 -> 03:30 EDT' },
  { id: 'F6', cal: ALWAYS_TORONTO, start: '2026-03-08T07:30:15Z', minutes: 0, due: '2026-03-08T07:30:15Z', why: 'zero = start' },
  { id: 'F7', cal: ALWAYS_UTC, start: '2026-01-01T00:00:00Z', minutes: 10_000, due: '2026-01-07T22:40:00Z', why: '166h40m' },
  // half-hour offset, southern DST: Australia/Adelaide 09:00-17:00
  { id: 'A1', cal: ADELAIDE, start: '2026-04-03T05:30:00Z', minutes: 120, due: '2026-04-06T00:30:00Z', why: 'Fri 16:00 ACDT +2h -> Mon 10:00 ACST' },
  { id: 'A2', cal: ADELAIDE, start: '2026-10-02T07:00:00Z', minutes: 60, due: '2026-10-04T23:00:00Z', why: 'Fri 16:30 ACST +1h -> Mon 09:30 ACDT' },
  { id: 'A3', cal: ADELAIDE, start: '2026-10-02T00:15:00Z', days: 1, due: '2026-10-04T23:15:00Z', why: 'Fri 09:45 ACST +1 day -> Mon 09:45 ACDT' },
  // +05:30 without DST
  { id: 'K1', cal: KOLKATA, start: '2026-01-23T16:30:00Z', minutes: 60, due: '2026-01-24T05:00:00Z', why: 'Fri 22:00 IST +1h -> Sat 10:30' },
  { id: 'K2', cal: KOLKATA, start: '2026-01-24T07:00:00Z', minutes: 60, due: '2026-01-27T05:00:00Z', why: 'Sat 12:30 +1h, Republic Day Mon -> Tue 10:30' },
];

const ELAPSED: ElapsedCase[] = [
  { id: 'E1', cal: STANDARD, from: '2026-03-06T17:00:00Z', to: '2026-03-09T16:00:00Z', minutes: 720, why: 'Fri 12:00 EST -> Mon 12:00 EDT' },
  { id: 'E2', cal: STANDARD, from: '2026-10-30T12:00:00Z', to: '2026-11-03T01:00:00Z', minutes: 1440, why: 'Fri 08:00 EDT -> Mon 20:00 EST' },
  { id: 'E3', cal: STANDARD, from: '2026-03-06T17:00:00Z', to: '2026-03-09T16:00:00Z', pauses: [['2026-03-07T00:00:00Z', '2026-03-09T13:00:00Z']], minutes: 600, why: 'pause eats Fri 19-20 and Mon 08-09' },
  { id: 'E4', cal: STANDARD, from: '2026-03-07T12:00:00Z', to: '2026-03-08T20:00:00Z', minutes: 0, why: 'weekend' },
  { id: 'E5', cal: STANDARD, from: '2026-03-09T16:00:00Z', to: '2026-03-06T17:00:00Z', minutes: -720, why: 'reversed -> negative' },
  { id: 'E6', cal: STANDARD, from: '2026-06-30T12:00:00Z', to: '2026-07-03T00:00:00Z', minutes: 1440, why: 'Tue + Thu, Canada Day closed' },
  { id: 'E7', cal: STANDARD, from: '2026-03-09T12:00:00Z', to: '2026-03-09T12:00:30Z', minutes: 0.5, why: 'seconds' },
  { id: 'E8', cal: LUNCH, from: '2026-03-02T09:00:00Z', to: '2026-03-02T15:00:00Z', minutes: 300, why: '10:00-16:00 CET minus lunch' },
  { id: 'E9', cal: LUNCH, from: '2026-03-01T23:00:00Z', to: '2026-03-08T23:00:00Z', minutes: 2100, why: 'a full week = 5 x 7h' },
  { id: 'E10', cal: ALWAYS_TORONTO, from: '2026-03-08T05:00:00Z', to: '2026-03-09T04:00:00Z', minutes: 1380, why: 'spring-forward day is 23h' },
  { id: 'E11', cal: ALWAYS_TORONTO, from: '2026-11-01T04:00:00Z', to: '2026-11-02T05:00:00Z', minutes: 1500, why: 'fall-back day is 25h' },
  { id: 'E12', cal: ADELAIDE, from: '2026-04-02T22:30:00Z', to: '2026-04-06T07:30:00Z', minutes: 960, why: 'Fri 09:00 ACDT -> Mon 17:00 ACST' },
];

describe('own vectors: due', () => {
  for (const c of DUE) {
    it(`${c.id}: ${c.why}`, () => {
      const duration = c.days !== undefined ? { days: c.days } : { minutes: c.minutes ?? Number.NaN };
      expect(formatUtc(addBusinessTime(c.cal, new Date(c.start), duration, toPauses(c.pauses)))).toBe(c.due);
    });
  }
});

describe('own vectors: elapsed', () => {
  for (const c of ELAPSED) {
    it(`${c.id}: ${c.why}`, () => {
      expect(businessTimeBetween(c.cal, new Date(c.from), new Date(c.to), toPauses(c.pauses)) / 60).toBe(c.minutes);
    });
  }
});

describe('helpers and edge cases', () => {
  it('isBusinessMoment uses half-open blocks', () => {
    expect(isBusinessMoment(STANDARD, new Date('2026-03-09T12:00:00Z'))).toBe(true); // 08:00 EDT
    expect(isBusinessMoment(STANDARD, new Date('2026-03-10T00:00:00Z'))).toBe(false); // 20:00 EDT
    expect(isBusinessMoment(STANDARD, new Date('2026-07-01T15:00:00Z'))).toBe(false); // Canada Day
  });

  it('nextBusinessMoment honours pauses', () => {
    const at = new Date('2026-03-09T11:00:00Z');
    expect(formatUtc(nextBusinessMoment(STANDARD, at))).toBe('2026-03-09T12:00:00Z');
    const pause = [{ from: new Date('2026-03-09T11:30:00Z'), to: new Date('2026-03-09T12:10:00Z') }];
    expect(formatUtc(nextBusinessMoment(STANDARD, at, pause))).toBe('2026-03-09T12:10:00Z');
  });

  it('rejects bad durations, dates and pauses with RangeError', () => {
    const start = new Date('2026-03-09T12:00:00Z');
    expect(() => addBusinessTime(STANDARD, start, { minutes: -1 })).toThrow(RangeError);
    expect(() => addBusinessTime(STANDARD, start, { minutes: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => addBusinessTime(STANDARD, start, { days: 1.5 })).toThrow(RangeError);
    expect(() => addBusinessTime(STANDARD, new Date('nope'), { minutes: 1 })).toThrow(RangeError);
    const reversed = [{ from: new Date('2026-03-09T13:00:00Z'), to: new Date('2026-03-09T12:00:00Z') }];
    expect(() => addBusinessTime(STANDARD, start, { minutes: 1 }, reversed)).toThrow(RangeError);
  });

  it('a calendar whose only open day is always a holiday fails instead of looping', () => {
    const cal = BusinessCalendar.parse({
      timeZone: 'Etc/UTC',
      week: { mon: [['09:00', '17:00']] },
      holidays: Array.from({ length: 12 }, (_, m) =>
        Array.from({ length: 31 }, (_, d) => `${String(m + 1).padStart(2, '0')}-${String(d + 1).padStart(2, '0')}`),
      )
        .flat()
        .filter((md) => !['02-30', '02-31', '04-31', '06-31', '09-31', '11-31'].includes(md))
        .map((date) => ({ date, yearly: true as const })),
    });
    expect(() => addBusinessTime(cal, new Date('2026-01-01T00:00:00Z'), { minutes: 1 })).toThrow(/no business/);
    expect(() => addBusinessTime(cal, new Date('2026-01-01T00:00:00Z'), { days: 1 })).toThrow(/no business/);
  });

  it('iterates by day: a million minutes and 1000 days stay fast', () => {
    const t0 = performance.now();
    const start = new Date('2026-01-05T13:00:00Z');
    const due = addBusinessTime(STANDARD, start, { minutes: 1_000_000 });
    expect(businessTimeBetween(STANDARD, start, due)).toBe(60_000_000);
    addBusinessTime(STANDARD, start, { days: 1000 });
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
