import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { diffFields, recordAudit } from '../../platform/audit.ts';
import { enqueueEvent } from '../../platform/outbox/outbox.ts';
import { actorIdOrNull, identityError, type Actor } from '../identity/index.ts';
import { BusinessCalendar, Holiday, IanaTimeZone, WeekHours } from '../sla/index.ts';
import { plansError } from './plans.errors.ts';
import { canPlans } from './plans.policy.ts';
import { findCalendar, findCalendarByName, renameCalendar, updateCalendarDefinition } from './plans.repo.ts';
import type { Calendar } from './plans.types.ts';

export const UpdateCalendarInput = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    timeZone: IanaTimeZone.optional(),
    week: WeekHours.optional().describe('The whole week (replaces it): day → [["HH:MM","HH:MM"], …], blocks not overlapping'),
    holidays: z.array(Holiday).max(5000).optional().describe('The whole holiday list (replaces it)'),
  })
  .strict();
export type UpdateCalendarInput = z.infer<typeof UpdateCalendarInput>;

/**
 * Renames a calendar or replaces its time zone, weekly hours or holidays. The result must still
 * be a calendar (some opening hours in the week) or nothing changes (`CALENDAR_INVALID`). A change
 * of hours, zone or holidays recomputes the clocks of open cases on plans using it (outbox
 * `calendar.changed`).
 */
export async function updateCalendar(db: Db, actor: Actor, calendarId: string, input: UpdateCalendarInput): Promise<Calendar> {
  if (!canPlans(actor, 'plan.manage')) throw identityError('FORBIDDEN');
  return db.transaction().execute(async (tx) => {
    const current = await findCalendar(tx, calendarId, { forUpdate: true });
    if (!current) throw plansError('CALENDAR_NOT_FOUND');
    if (input.name !== undefined && input.name.toLowerCase() !== current.name.toLowerCase()) {
      const taken = await findCalendarByName(tx, input.name);
      if (taken && taken.id !== calendarId) throw plansError('CALENDAR_NAME_TAKEN', { name: input.name });
    }
    const { name, ...definitionPatch } = input;
    const parsed = BusinessCalendar.safeParse({ ...current.definition, ...Object.fromEntries(Object.entries(definitionPatch).filter(([, value]) => value !== undefined)) });
    if (!parsed.success) throw plansError('CALENDAR_INVALID', { issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) });
    const changes = diffFields(current.definition as unknown as Record<string, unknown>, parsed.data);
    let calendar = current;
    if (name !== undefined && name !== current.name) {
      calendar = (await renameCalendar(tx, calendarId, name))!;
      changes.name = { before: current.name, after: name };
    }
    const definitionChanged = ['timeZone', 'week', 'holidays'].some((field) => field in changes);
    if (definitionChanged) calendar = (await updateCalendarDefinition(tx, calendarId, parsed.data))!;
    if (Object.keys(changes).length === 0) return current;
    await recordAudit(tx, { subjectType: 'plan', subjectId: calendarId, actorId: actorIdOrNull(actor), action: 'calendar.updated', changes });
    if (definitionChanged) await enqueueEvent(tx, 'calendar.changed', { calendarId });
    return calendar;
  });
}
