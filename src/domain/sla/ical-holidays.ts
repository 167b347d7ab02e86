/**
 * Holidays from an iCalendar (.ics) feed, expanded with ical.js (Mozilla's
 * maintained parser, no dependencies): RRULE/RDATE/EXDATE and RECURRENCE-ID
 * overrides are handled by the library, not by hand.
 *
 * - An all-day event covers every date from DTSTART up to (excluding) DTEND;
 *   an all-day event without DTEND/DURATION covers DTSTART only.
 * - A timed event contributes the date of its start, as written (in its TZID
 *   or floating time), without conversion.
 * - STATUS:CANCELLED events and occurrences are ignored.
 * Result: sorted, unique "YYYY-MM-DD" strings within [fromYear, toYear].
 */
import ICAL from 'ical.js';

type IcalTime = InstanceType<typeof ICAL.Time>;
type IcalEvent = InstanceType<typeof ICAL.Event>;

/** Upper bound on occurrences read from one recurring event (guards runaway rules). */
const MAX_OCCURRENCES = 100_000;

function ymd(time: IcalTime): string {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return `${pad(time.year, 4)}-${pad(time.month, 2)}-${pad(time.day, 2)}`;
}

function isCancelled(event: IcalEvent): boolean {
  return String(event.component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';
}

function datesOf(event: IcalEvent, start: IcalTime, end: IcalTime | null): string[] {
  if (isCancelled(event)) return [];
  if (!start.isDate || end === null || end.compare(start) <= 0) return [ymd(start)];
  const dates: string[] = [];
  const day = start.clone();
  while (day.compare(end) < 0 && dates.length < 366) {
    dates.push(ymd(day));
    day.adjust(1, 0, 0, 0);
  }
  return dates;
}

function endOf(event: IcalEvent): IcalTime | null {
  const component = event.component;
  return component.hasProperty('dtend') || component.hasProperty('duration') ? event.endDate : null;
}

export function holidaysFromIcs(icsText: string, fromYear: number, toYear: number): string[] {
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || fromYear > toYear) {
    throw new RangeError('fromYear and toYear must be integers with fromYear <= toYear');
  }
  const root = new ICAL.Component(ICAL.parse(icsText));
  const vevents = root.name === 'vevent' ? [root] : root.getAllSubcomponents('vevent');
  const overrides = vevents.filter((c) => c.hasProperty('recurrence-id'));
  const result = new Set<string>();
  const keep = (date: string): void => {
    const year = Number(date.slice(0, 4));
    if (year >= fromYear && year <= toYear) result.add(date);
  };

  for (const component of vevents) {
    if (component.hasProperty('recurrence-id')) continue; // folded into its master below
    const uid = component.getFirstPropertyValue('uid');
    const exceptions = overrides.filter((c) => c.getFirstPropertyValue('uid') === uid);
    const event = new ICAL.Event(component, { exceptions });
    if (!event.isRecurring()) {
      for (const date of datesOf(event, event.startDate, endOf(event))) keep(date);
      continue;
    }
    const iterator = event.iterator();
    for (let n = 0, next = iterator.next(); next && n < MAX_OCCURRENCES; n++, next = iterator.next()) {
      if (next.year > toYear) break;
      const details = event.getOccurrenceDetails(next);
      const occurrence = details.item;
      const end = details.item === event ? (endOf(event) ? details.endDate : null) : details.endDate;
      if (details.startDate.year < fromYear - 1) continue;
      for (const date of datesOf(occurrence, details.startDate, end)) keep(date);
    }
  }
  return [...result].sort();
}
