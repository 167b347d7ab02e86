import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/identity/index.ts';
import { call, createTestApp, factories, unique, type TestApp } from '../support/test-app.ts';
import { slaWorld, type SlaWorld } from './sla-world.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ALL_DAY = [['00:00', '24:00']];
const ROUND_THE_CLOCK = { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY };

/** Christmas every year (RRULE), one company day off, and a cancelled event that must not count. */
const ICS = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//casebook test//EN',
  'BEGIN:VEVENT', 'UID:christmas@test', 'DTSTART;VALUE=DATE:20251225', 'DTEND;VALUE=DATE:20251226', 'RRULE:FREQ=YEARLY', 'SUMMARY:Christmas Day', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:offsite@test', 'DTSTART;VALUE=DATE:20270312', 'SUMMARY:Company offsite', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:cancelled@test', 'DTSTART;VALUE=DATE:20270401', 'STATUS:CANCELLED', 'SUMMARY:Cancelled', 'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const midnightUtc = (ms: number) => Date.parse(`${utcDate(ms)}T00:00:00Z`);

describe('calendar administration: edit, iCalendar import, clocks recomputed', () => {
  let t: TestApp;
  let w: SlaWorld;
  let admin: User;
  let adminToken: string;
  let agentToken: string;

  const createCalendar = async (week: Record<string, string[][]> = { mon: [['09:00', '17:00']] }, holidays: unknown[] = []) => {
    const response = await call(t.app, adminToken, 'POST', '/api/v1/calendars', { name: unique('Calendar'), definition: { timeZone: 'Europe/Paris', week, holidays } });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; name: string; definition: { timeZone: string; week: Record<string, string[][]>; holidays: unknown[] } };
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await slaWorld(t);
    const make = factories(t.database);
    admin = await make.admin();
    adminToken = await make.token(admin);
    agentToken = await make.token(await make.agent());
  });
  afterAll(async () => {
    await w.stop();
    await t.close();
  });

  it('PATCH changes the weekly hours (a lunch break), the zone and the name, and keeps what it was not given', async () => {
    const calendar = await createCalendar({ mon: [['09:00', '18:00']], tue: [['09:00', '18:00']] }, ['2026-05-01']);
    const response = await call(t.app, adminToken, 'PATCH', `/api/v1/calendars/${calendar.id}`, {
      name: `${calendar.name} (lunch)`,
      timeZone: 'America/Toronto',
      week: { mon: [['09:00', '12:00'], ['13:00', '18:00']], tue: [['09:00', '18:00']] },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: calendar.id, name: `${calendar.name} (lunch)`, isTwentyFourSeven: false });
    expect(response.json().definition).toEqual({
      timeZone: 'America/Toronto',
      week: { mon: [['09:00', '12:00'], ['13:00', '18:00']], tue: [['09:00', '18:00']], wed: [], thu: [], fri: [], sat: [], sun: [] },
      holidays: ['2026-05-01'],
    });
    expect((await call(t.app, agentToken, 'GET', `/api/v1/calendars/${calendar.id}`)).json().definition.week.mon).toHaveLength(2);
    const holidays = await call(t.app, adminToken, 'PATCH', `/api/v1/calendars/${calendar.id}`, { holidays: ['2026-12-24', { date: '12-25', yearly: true, name: 'Christmas' }] });
    expect(holidays.json().definition.holidays).toEqual(['2026-12-24', { date: '12-25', yearly: true, name: 'Christmas' }]);
    expect(holidays.json().definition.timeZone).toBe('America/Toronto');
  });

  it('PATCH refuses what create refuses, with stable codes, and changes nothing', async () => {
    const calendar = await createCalendar();
    const other = await createCalendar();
    const patch = (body: unknown, token = adminToken, id = calendar.id) => call(t.app, token, 'PATCH', `/api/v1/calendars/${id}`, body);
    const cases: Array<[unknown, number, string]> = [
      [{ timeZone: 'Mars/Olympus_Mons' }, 400, 'VALIDATION_FAILED'],
      [{ week: { mon: [['09:00', '13:00'], ['12:00', '17:00']] } }, 400, 'VALIDATION_FAILED'],
      [{ week: { mon: [['17:00', '09:00']] } }, 400, 'VALIDATION_FAILED'],
      [{ week: { mon: [['9am', '5pm']] } }, 400, 'VALIDATION_FAILED'],
      [{ holidays: ['2026-02-30'] }, 400, 'VALIDATION_FAILED'],
      [{ colour: 'blue' }, 400, 'VALIDATION_FAILED'],
      [{ week: {} }, 422, 'CALENDAR_INVALID'],
      [{ name: other.name.toUpperCase() }, 409, 'CALENDAR_NAME_TAKEN'],
    ];
    for (const [body, status, code] of cases) {
      const response = await patch(body);
      expect({ body, status: response.statusCode, code: response.json().code }).toEqual({ body, status, code });
    }
    expect((await patch({ name: 'x' }, agentToken)).json().code).toBe('FORBIDDEN');
    expect((await patch({ name: 'x' }, adminToken, '00000000-0000-4000-8000-00000000dead')).json().code).toBe('CALENDAR_NOT_FOUND');
    const unchanged = (await call(t.app, adminToken, 'GET', `/api/v1/calendars/${calendar.id}`)).json();
    expect(unchanged).toMatchObject({ name: calendar.name, definition: calendar.definition });
  });

  it('imports an .ics file: the yearly RRULE becomes one holiday per year, merged without duplicates; a broken file is CALENDAR_ICS_INVALID', async () => {
    const calendar = await createCalendar({ mon: [['09:00', '17:00']] }, ['2026-12-25', '2026-01-01']);
    const url = `/api/v1/calendars/${calendar.id}/holidays/import`;
    const imported = await call(t.app, adminToken, 'POST', url, { ics: ICS, years: { from: 2026, to: 2028 } });
    expect(imported.statusCode).toBe(200);
    expect(imported.json().definition.holidays).toEqual(['2026-12-25', '2026-01-01', '2027-03-12', '2027-12-25', '2028-12-25']);
    const again = await call(t.app, adminToken, 'POST', url, { ics: ICS, years: { from: 2026, to: 2028 } });
    expect(again.json().definition.holidays).toHaveLength(5);
    const broken = await call(t.app, adminToken, 'POST', url, { ics: 'BEGIN:VCALENDAR\r\nthis is not ical' });
    expect([broken.statusCode, broken.json().code]).toEqual([422, 'CALENDAR_ICS_INVALID']);
    expect((await call(t.app, agentToken, 'POST', url, { ics: ICS })).statusCode).toBe(403);
    expect((await call(t.app, adminToken, 'POST', '/api/v1/calendars/00000000-0000-4000-8000-00000000dead/holidays/import', { ics: ICS })).json().code).toBe('CALENDAR_NOT_FOUND');
    // Without years: this year and the next two.
    const fresh = await createCalendar();
    const thisYear = new Date().getUTCFullYear();
    const defaults = await call(t.app, adminToken, 'POST', `/api/v1/calendars/${fresh.id}/holidays/import`, { ics: ICS });
    expect(defaults.json().definition.holidays.filter((date: string) => date.endsWith('-12-25'))).toEqual([thisYear, thisYear + 1, thisYear + 2].map((year) => `${year}-12-25`));
  });

  it('a calendar change and a plan target change move the due time of an open case on that plan (outbox)', async () => {
    const calendar = (await call(t.app, adminToken, 'POST', '/api/v1/calendars', { name: unique('Always'), definition: { timeZone: 'Etc/UTC', week: ROUND_THE_CLOCK, holidays: [] } })).json();
    const plan = await w.tinyPlan({ minutes: 60, calendarId: calendar.id });
    const customer = await w.customer(plan.code);
    const bystander = await w.customer('premium');
    const ticket = await w.openCase(customer.contact);
    const other = await w.openCase(bystander.contact);
    await w.drain();
    const createdAt = Math.floor(Date.parse(ticket.createdAt) / 1000) * 1000;
    expect((await w.clockOf(ticket.id, 'first-response')).due_at!.getTime()).toBe(createdAt + HOUR);
    const otherDue = (await w.clockOf(other.id, 'first-response')).due_at!.getTime();

    // The day the case opened and the next become holidays: business time starts two days later.
    const today = midnightUtc(createdAt);
    const holidays = [utcDate(today), utcDate(today + DAY)];
    expect((await call(t.app, adminToken, 'PATCH', `/api/v1/calendars/${calendar.id}`, { holidays })).statusCode).toBe(200);
    await w.drain();
    const moved = await w.clockOf(ticket.id, 'first-response');
    expect(moved.due_at!.getTime()).toBe(today + 2 * DAY + HOUR);
    expect((await w.explanationOf(ticket.id, 'first-response')).lines.join('\n')).toContain(calendar.name);
    expect((await w.clockOf(other.id, 'first-response')).due_at!.getTime()).toBe(otherDue);

    // The plan's P1 first-response target doubles: the clock follows.
    const target = { firstResponse: { minutes: 120 }, nextResponse: { minutes: 60 }, resolution: { minutes: 600 } };
    const patched = await call(t.app, adminToken, 'PATCH', `/api/v1/plans/${plan.id}`, { targets: { ...plan.targets, P1: target } });
    expect(patched.statusCode).toBe(200);
    await w.drain();
    expect((await w.clockOf(ticket.id, 'first-response')).due_at!.getTime()).toBe(today + 2 * DAY + 2 * HOUR);

    // A rename moves nothing and queues no recomputation.
    const before = await t.database.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('count')).where('topic', 'in', ['plan.changed', 'calendar.changed']).executeTakeFirstOrThrow();
    await call(t.app, adminToken, 'PATCH', `/api/v1/plans/${plan.id}`, { name: unique('Renamed') });
    await call(t.app, adminToken, 'PATCH', `/api/v1/calendars/${calendar.id}`, { name: unique('Renamed calendar') });
    const after = await t.database.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('count')).where('topic', 'in', ['plan.changed', 'calendar.changed']).executeTakeFirstOrThrow();
    expect(Number(after.count)).toBe(Number(before.count));
  });
});
