import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { actorIdOrNull, identityError, type Actor } from '../identity/index.ts';
import { BusinessCalendar, holidaysFromIcs, type Holiday } from '../sla/index.ts';
import { plansError } from './plans.errors.ts';
import { canPlans } from './plans.policy.ts';
import { findCalendar, updateCalendarDefinition } from './plans.repo.ts';
import { IcsYears, type Calendar } from './plans.types.ts';

export const ImportHolidaysInput = z
  .object({
    ics: z.string().min(1).max(2_000_000).describe('An iCalendar (.ics) file; its events, RRULE expanded, become holidays'),
    years: IcsYears.optional(),
  })
  .strict();
export type ImportHolidaysInput = z.infer<typeof ImportHolidaysInput>;

/** The dates of an .ics file's events (ical.js expands RRULE/RDATE/EXDATE) within the years asked, or this year and the next two. */
export function expandIcsHolidays(ics: string, years: { from: number; to: number } | undefined, now: Date): string[] {
  const from = years?.from ?? now.getUTCFullYear();
  const to = years?.to ?? from + 2;
  try {
    return holidaysFromIcs(ics, from, to);
  } catch (error) {
    throw plansError('CALENDAR_ICS_INVALID', { reason: error instanceof Error ? error.message : String(error) });
  }
}

/** The day a holiday closes, as compared for duplicates ("YYYY-MM-DD", or "MM-DD" for yearly ones). */
function holidayKey(holiday: Holiday): string {
  return typeof holiday === 'string' ? holiday : holiday.date;
}

/** Existing holidays first, then the new dates not already there (a date covered by a yearly holiday counts as there). */
export function mergeHolidays(existing: readonly Holiday[], dates: readonly string[]): Holiday[] {
  const known = new Set(existing.map(holidayKey));
  const yearly = new Set(existing.filter((holiday) => typeof holiday !== 'string' && holiday.yearly === true).map(holidayKey));
  const added = [...new Set(dates)].filter((date) => !known.has(date) && !yearly.has(date.slice(5))).sort();
  return [...existing, ...added];
}

/**
 * Imports the holidays of an iCalendar file into a calendar (merged with those it has). Open
 * cases on plans using the calendar get their clocks recomputed (outbox `calendar.changed`).
 */
export async function importHolidays(db: Db, actor: Actor, calendarId: string, input: ImportHolidaysInput, now = new Date()): Promise<Calendar> {
  if (!canPlans(actor, 'plan.manage')) throw identityError('FORBIDDEN');
  const dates = expandIcsHolidays(input.ics, input.years, now);
  return db.transaction().execute(async (tx) => {
    const current = await findCalendar(tx, calendarId, { forUpdate: true });
    if (!current) throw plansError('CALENDAR_NOT_FOUND');
    const holidays = mergeHolidays(current.definition.holidays, dates);
    const added = holidays.length - current.definition.holidays.length;
    if (added === 0) return current;
    const calendar = (await updateCalendarDefinition(tx, calendarId, BusinessCalendar.parse({ ...current.definition, holidays })))!;
    await recordAudit(tx, { subjectType: 'plan', subjectId: calendarId, actorId: actorIdOrNull(actor), action: 'calendar.holidays-imported', changes: { holidays: { before: current.definition.holidays.length, after: holidays.length } } });
    await enqueueEvent(tx, 'calendar.changed', { calendarId });
    return calendar;
  });
}
