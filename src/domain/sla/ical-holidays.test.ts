import { describe, expect, it } from 'vitest';
import { holidaysFromIcs } from './ical-holidays.ts';
import { BusinessCalendar } from './calendar.types.ts';
import { addBusinessTime } from './business-time.ts';
import { formatUtc } from './sla-cli.ts';

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Casebook//SLA test//EN',
  'BEGIN:VEVENT',
  'UID:canada-day@casebook.test',
  'DTSTAMP:20250101T000000Z',
  'DTSTART;VALUE=DATE:20200701',
  'DTEND;VALUE=DATE:20200702',
  'RRULE:FREQ=YEARLY',
  'SUMMARY:Canada Day',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:thanksgiving@casebook.test',
  'DTSTAMP:20250101T000000Z',
  'DTSTART;VALUE=DATE:20231009',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=2MO',
  'SUMMARY:Thanksgiving (second Monday of October)',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:xmas@casebook.test',
  'DTSTAMP:20250101T000000Z',
  'DTSTART;VALUE=DATE:20241225',
  'DTEND;VALUE=DATE:20241227',
  'RRULE:FREQ=YEARLY',
  'EXDATE;VALUE=DATE:20261225',
  'SUMMARY:Christmas and Boxing Day',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:xmas@casebook.test',
  'DTSTAMP:20250101T000000Z',
  'RECURRENCE-ID;VALUE=DATE:20251225',
  'DTSTART;VALUE=DATE:20251224',
  'DTEND;VALUE=DATE:20251225',
  'SUMMARY:Christmas 2025 moved to the 24th, one day only',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:good-friday-2026@casebook.test',
  'DTSTAMP:20250101T000000Z',
  'DTSTART;VALUE=DATE:20260403',
  'SUMMARY:Good Friday (one-off)',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:offsite@casebook.test',
  'DTSTAMP:20250101T000000Z',
  'DTSTART;TZID=America/Toronto:20260915T090000',
  'DTEND;TZID=America/Toronto:20260915T170000',
  'SUMMARY:Timed one-off event',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:cancelled@casebook.test',
  'DTSTAMP:20250101T000000Z',
  'DTSTART;VALUE=DATE:20260810',
  'STATUS:CANCELLED',
  'SUMMARY:Cancelled closure',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('holidaysFromIcs', () => {
  it('expands yearly RRULEs, one-offs, multi-day events, EXDATE and overrides', () => {
    expect(holidaysFromIcs(ICS, 2025, 2027)).toEqual([
      '2025-07-01',
      '2025-10-13',
      '2025-12-24', // overridden occurrence (RECURRENCE-ID)
      '2026-04-03', // one-off
      '2026-07-01',
      '2026-09-15', // timed event -> its start date
      '2026-10-12',
      // 2026-12-25/26 excluded by EXDATE
      '2027-07-01',
      '2027-10-11',
      '2027-12-25',
      '2027-12-26', // DTEND exclusive: 25th and 26th
    ]);
  });

  it('keeps only the requested years', () => {
    expect(holidaysFromIcs(ICS, 2030, 2030)).toEqual(['2030-07-01', '2030-10-14', '2030-12-25', '2030-12-26']);
    expect(holidaysFromIcs(ICS, 2019, 2019)).toEqual([]);
  });

  it('output feeds a calendar directly', () => {
    const calendar = BusinessCalendar.parse({
      timeZone: 'America/Toronto',
      week: { mon: [['08:00', '20:00']], tue: [['08:00', '20:00']], wed: [['08:00', '20:00']], thu: [['08:00', '20:00']], fri: [['08:00', '20:00']] },
      holidays: holidaysFromIcs(ICS, 2026, 2026),
    });
    // Tue 2026-06-30 18:00 EDT + 4h: Canada Day (from the feed) is skipped.
    expect(formatUtc(addBusinessTime(calendar, new Date('2026-06-30T22:00:00Z'), { minutes: 240 }))).toBe(
      '2026-07-02T14:00:00Z',
    );
  });

  it('rejects a bad year range and malformed input', () => {
    expect(() => holidaysFromIcs(ICS, 2027, 2026)).toThrow(RangeError);
    expect(() => holidaysFromIcs('this is not ical', 2026, 2026)).toThrow();
  });
});
