/** Calendars shared by the SLA tests (not a test file itself). */
import { BusinessCalendar, twentyFourSevenCalendar } from './calendar.types.ts';

const weekdays = (blocks: Array<[string, string]>) => ({
  mon: blocks,
  tue: blocks,
  wed: blocks,
  thu: blocks,
  fri: blocks,
  sat: [],
  sun: [],
});

/** Standard plan: America/Toronto, Mon-Fri 08:00-20:00, Canadian holidays. */
export const STANDARD: BusinessCalendar = BusinessCalendar.parse({
  timeZone: 'America/Toronto',
  week: weekdays([['08:00', '20:00']]),
  holidays: [
    { date: '01-01', yearly: true, name: "New Year's Day" },
    { date: '07-01', yearly: true, name: 'Canada Day' },
    { date: '12-25', yearly: true, name: 'Christmas Day' },
    '2026-04-03', // Good Friday 2026 (explicit: Easter moves)
    { date: '2027-03-26', name: 'Good Friday 2027' },
  ],
});

/** Two blocks a day with a lunch break, in a European zone (DST on 2026-03-29 / 2026-10-25). */
export const LUNCH: BusinessCalendar = BusinessCalendar.parse({
  timeZone: 'Europe/Paris',
  week: weekdays([
    ['09:00', '12:00'],
    ['13:00', '17:00'],
  ]),
  holidays: [],
});

/** Around the clock, in a zone with DST so that switch days are 23 h / 25 h. */
export const ALWAYS_TORONTO: BusinessCalendar = twentyFourSevenCalendar('America/Toronto');
export const ALWAYS_UTC: BusinessCalendar = twentyFourSevenCalendar('Etc/UTC');

/** Half-hour offset and southern-hemisphere DST (ends 2026-04-05, starts 2026-10-04). */
export const ADELAIDE: BusinessCalendar = BusinessCalendar.parse({
  timeZone: 'Australia/Adelaide',
  week: weekdays([['09:00', '17:00']]),
  holidays: [],
});

/** The corpus calendar (zendesk/biz specs), restated for property tests. */
export const BIZ: BusinessCalendar = BusinessCalendar.parse({
  timeZone: 'Etc/UTC',
  week: {
    mon: [['09:00', '17:00']],
    tue: [['10:00', '16:00']],
    wed: [['09:00', '17:00']],
    thu: [['10:00', '16:00']],
    fri: [['09:00', '17:00']],
    sat: [['11:00', '14:30']],
    sun: [],
  },
  holidays: ['2006-01-01', '2006-12-25'],
});

/** Kolkata (+05:30, no DST), open late into the evening and on Saturday mornings. */
export const KOLKATA: BusinessCalendar = BusinessCalendar.parse({
  timeZone: 'Asia/Kolkata',
  week: { ...weekdays([['10:00', '22:30']]), sat: [['10:00', '13:00']] },
  holidays: [{ date: '01-26', yearly: true, name: 'Republic Day' }],
});

export const ALL_CALENDARS = { STANDARD, LUNCH, ALWAYS_TORONTO, ALWAYS_UTC, ADELAIDE, BIZ, KOLKATA } as const;
