import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { actorIdOrNull, identityError, type Actor } from '../identity/index.ts';
import { BusinessCalendar } from '../sla/index.ts';
import { expandIcsHolidays } from './import-holidays.ts';
import { plansError } from './plans.errors.ts';
import { canPlans } from './plans.policy.ts';
import { findCalendar, findCalendarByName, insertCalendar, listCalendarRows } from './plans.repo.ts';
import { IcsYears, type Calendar } from './plans.types.ts';

export const CreateCalendarInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    definition: BusinessCalendar,
    icsHolidays: z.string().max(2_000_000).optional().describe('An .ics file whose events (RRULE expanded) become holidays'),
    icsYears: IcsYears.optional(),
  })
  .strict();
export type CreateCalendarInput = z.infer<typeof CreateCalendarInput>;

/** Creates a calendar; holidays from an iCalendar file are expanded (default: this year and the next two). */
export async function createCalendar(db: Db, actor: Actor, input: CreateCalendarInput, now = new Date()): Promise<Calendar> {
  if (!canPlans(actor, 'plan.manage')) throw identityError('FORBIDDEN');
  let holidays = input.definition.holidays;
  if (input.icsHolidays) holidays = [...holidays, ...expandIcsHolidays(input.icsHolidays, input.icsYears, now)];
  const definition = BusinessCalendar.parse({ ...input.definition, holidays });
  return db.transaction().execute(async (tx) => {
    if (await findCalendarByName(tx, input.name)) throw plansError('CALENDAR_NAME_TAKEN', { name: input.name });
    const calendar = await insertCalendar(tx, input.name, definition);
    await recordAudit(tx, { subjectType: 'plan', subjectId: calendar.id, actorId: actorIdOrNull(actor), action: 'calendar.created', changes: { name: input.name, holidays: holidays.length } });
    return calendar;
  });
}

export async function listCalendars(db: Db, actor: Actor): Promise<Calendar[]> {
  if (!canPlans(actor, 'plan.read')) throw identityError('FORBIDDEN');
  return listCalendarRows(db);
}

export async function getCalendar(db: Db, actor: Actor, id: string): Promise<Calendar> {
  const calendar = canPlans(actor, 'plan.read') ? await findCalendar(db, id) : undefined;
  if (!calendar) throw plansError('CALENDAR_NOT_FOUND');
  return calendar;
}
