/**
 * Business calendar types and their zod schema.
 *
 * A calendar is: an IANA time zone, opening blocks per weekday in local wall
 * time (["HH:MM","HH:MM"], end exclusive, "24:00" allowed as an end), and
 * holidays (closed all local day). The JSON file format is the same as the
 * calendars in shared/corpora/sla/biz-vectors.json.
 */
import { IANAZone } from 'luxon';
import { z } from 'zod';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Weekdays in JS `Date#getUTCDay()` order (index 0 = Sunday). */
export const WEEKDAYS_BY_INDEX: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const TIME_RE = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE_RE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;
const MONTH_DAY_RE = /^(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

/** "HH:MM" -> minutes after local midnight ("24:00" -> 1440). */
export function minutesOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function isRealDate(ymd: string): boolean {
  const d = new Date(`${ymd}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === ymd;
}

function isRealMonthDay(md: string): boolean {
  return isRealDate(`2000-${md}`); // 2000 is a leap year, so 02-29 is allowed
}

export const TimeOfDay = z.string().regex(TIME_RE, 'expected "HH:MM" (00:00-23:59, or 24:00 as an end)');
export type TimeOfDay = z.infer<typeof TimeOfDay>;

export const OpeningBlock = z
  .tuple([TimeOfDay, TimeOfDay])
  .refine(([from, to]) => minutesOfDay(from) < minutesOfDay(to), 'an opening block must start before it ends');
export type OpeningBlock = z.infer<typeof OpeningBlock>;

export const DayHours = z.array(OpeningBlock).superRefine((blocks, ctx) => {
  const sorted = [...blocks].sort((a, b) => minutesOfDay(a[0]) - minutesOfDay(b[0]));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (prev !== undefined && cur !== undefined && minutesOfDay(cur[0]) < minutesOfDay(prev[1])) {
      ctx.addIssue({ code: 'custom', message: `opening blocks overlap: ${prev.join('-')} and ${cur.join('-')}` });
    }
  }
});
export type DayHours = z.infer<typeof DayHours>;

export const WeekHours = z.strictObject({
  mon: DayHours.default([]),
  tue: DayHours.default([]),
  wed: DayHours.default([]),
  thu: DayHours.default([]),
  fri: DayHours.default([]),
  sat: DayHours.default([]),
  sun: DayHours.default([]),
});
export type WeekHours = z.infer<typeof WeekHours>;

export const HolidayDate = z.string().regex(DATE_RE, 'expected "YYYY-MM-DD"').refine(isRealDate, 'not a real date');

export const Holiday = z.union([
  HolidayDate,
  z.strictObject({
    date: z.string().regex(MONTH_DAY_RE, 'expected "MM-DD"').refine(isRealMonthDay, 'not a real month-day'),
    yearly: z.literal(true),
    name: z.string().optional(),
  }),
  z.strictObject({
    date: HolidayDate,
    yearly: z.literal(false).optional(),
    name: z.string().optional(),
  }),
]);
/** `"YYYY-MM-DD"`, `{ date: "MM-DD", yearly: true }` or `{ date: "YYYY-MM-DD" }`. */
export type Holiday = z.infer<typeof Holiday>;

export const IanaTimeZone = z
  .string()
  .min(1)
  .refine((tz) => IANAZone.isValidZone(tz), 'not a known IANA time zone');

export const BusinessCalendar = z
  .object({
    timeZone: IanaTimeZone,
    week: WeekHours,
    holidays: z.array(Holiday).default([]),
  })
  .refine((cal) => Object.values(cal.week).some((blocks) => blocks.length > 0), {
    message: 'the calendar has no opening hours on any day',
    path: ['week'],
  });
/** The parsed (output) calendar type; all seven weekdays and `holidays` are present. */
export type BusinessCalendar = z.infer<typeof BusinessCalendar>;
/** What a calendar file may contain before defaults are applied. */
export type BusinessCalendarInput = z.input<typeof BusinessCalendar>;

/** A stretch of time during which the SLA clock is stopped. */
export type Pause = { from: Date; to: Date };

export type BusinessDuration = { minutes: number } | { days: number };

/** A calendar open around the clock, every day, with no holidays. */
export function twentyFourSevenCalendar(timeZone = 'Etc/UTC'): BusinessCalendar {
  const allDay: OpeningBlock[] = [['00:00', '24:00']];
  return {
    timeZone,
    week: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
    holidays: [],
  };
}

/** True when every day is `[["00:00","24:00"]]` and there are no holidays. */
export function isTwentyFourSeven(calendar: BusinessCalendar): boolean {
  return (
    calendar.holidays.length === 0 &&
    Object.values(calendar.week).every(
      (blocks) => blocks.length === 1 && blocks[0]?.[0] === '00:00' && blocks[0]?.[1] === '24:00',
    )
  );
}
