import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/identity/index.ts';
import { call, createTestApp, factories, type TestApp } from '../support/test-app.ts';

const ICS = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN',
  'BEGIN:VEVENT', 'UID:canada-day', 'DTSTART;VALUE=DATE:20260701', 'DTEND;VALUE=DATE:20260702', 'RRULE:FREQ=YEARLY', 'SUMMARY:Canada Day', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:civic', 'DTSTART;VALUE=DATE:20260803', 'DTEND;VALUE=DATE:20260804', 'SUMMARY:Civic Holiday', 'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

describe('support plans, calendars and contracts', () => {
  let t: TestApp;
  let admin: User;
  let adminToken: string;
  let agentToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    const make = factories(t.database);
    admin = await make.admin();
    adminToken = await make.token(admin);
    agentToken = await make.token(await make.agent());
  });
  afterAll(() => t.close());

  it('ships the reference plans: Standard (Toronto business hours, 1 business day), Premium (24/7, senior only, unlimited panic), Enterprise-lite (one panic a year)', async () => {
    const plans = (await call(t.app, agentToken, 'GET', '/api/v1/plans')).json().items;
    const byCode = Object.fromEntries(plans.map((plan: { code: string }) => [plan.code, plan]));
    expect(byCode.standard).toMatchObject({ name: 'Standard', seniorOnly: false, panicQuota: 0, pauseStatuses: ['pending-customer'], warningThresholds: [75, 90] });
    expect(byCode.standard.targets.P1.firstResponse).toEqual({ days: 1 });
    expect(byCode.premium).toMatchObject({ seniorOnly: true, namedTam: true, panicQuota: null });
    expect(byCode.premium.targets.P1.firstResponse).toEqual({ minutes: 60 });
    expect(byCode.premium.targets.P2.firstResponse).toEqual({ minutes: 60 });
    expect(byCode['enterprise-lite'].panicQuota).toBe(1);
    const calendars = (await call(t.app, agentToken, 'GET', '/api/v1/calendars')).json().items;
    const toronto = calendars.find((calendar: { id: string }) => calendar.id === byCode.standard.calendarId);
    expect(toronto.definition.timeZone).toBe('America/Toronto');
    expect(toronto.definition.week.mon).toEqual([['08:00', '20:00']]);
    expect(toronto.isTwentyFourSeven).toBe(false);
    expect(calendars.find((calendar: { id: string }) => calendar.id === byCode.premium.calendarId).isTwentyFourSeven).toBe(true);
  });

  it('creates a calendar with lunch breaks and iCalendar holidays (RRULE expanded)', async () => {
    const created = await call(t.app, adminToken, 'POST', '/api/v1/calendars', {
      name: 'Paris office',
      definition: { timeZone: 'Europe/Paris', week: { mon: [['09:00', '12:30'], ['13:30', '18:00']], tue: [['09:00', '18:00']] }, holidays: ['2026-05-01'] },
      icsHolidays: ICS,
      icsYears: { from: 2026, to: 2027 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().definition.holidays).toEqual(expect.arrayContaining(['2026-05-01', '2026-07-01', '2027-07-01', '2026-08-03']));
    expect((await call(t.app, adminToken, 'POST', '/api/v1/calendars', { name: 'paris OFFICE', definition: { timeZone: 'UTC', week: { mon: [['09:00', '17:00']] }, holidays: [] } })).json().code).toBe('CALENDAR_NAME_TAKEN');
    const badZone = await call(t.app, adminToken, 'POST', '/api/v1/calendars', { name: 'Mars', definition: { timeZone: 'Mars/Olympus', week: { mon: [['09:00', '17:00']] }, holidays: [] } });
    expect(badZone.statusCode).toBe(400);
    const badIcs = await call(t.app, adminToken, 'POST', '/api/v1/calendars', { name: 'Broken', definition: { timeZone: 'UTC', week: { mon: [['09:00', '17:00']] }, holidays: [] }, icsHolidays: 'not a calendar' });
    expect(badIcs.json().code).toBe('CALENDAR_ICS_INVALID');
    const asAgent = await call(t.app, agentToken, 'POST', '/api/v1/calendars', { name: 'x', definition: { timeZone: 'UTC', week: {}, holidays: [] } });
    expect(asAgent.statusCode).toBe(403);
  });

  it('creates and changes a plan; codes are unique', async () => {
    const calendars = (await call(t.app, agentToken, 'GET', '/api/v1/calendars')).json().items;
    const targets = { firstResponse: { minutes: 30 }, nextResponse: { minutes: 60 }, resolution: { days: 2 } };
    const body = { code: 'gold', name: 'Gold', calendarId: calendars[0].id, targets: { P1: targets, P2: targets, P3: targets, P4: targets }, panicQuota: 3, warningThresholds: [50, 80] };
    const created = await call(t.app, adminToken, 'POST', '/api/v1/plans', body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code: 'gold', panicQuota: 3, warningThresholds: [50, 80], pauseStatuses: ['pending-customer'] });
    expect((await call(t.app, adminToken, 'POST', '/api/v1/plans', body)).json().code).toBe('PLAN_CODE_TAKEN');
    const patched = await call(t.app, adminToken, 'PATCH', `/api/v1/plans/${created.json().id}`, { pauseStatuses: ['pending-customer', 'pending-vendor'], seniorOnly: true });
    expect(patched.json()).toMatchObject({ pauseStatuses: ['pending-customer', 'pending-vendor'], seniorOnly: true, name: 'Gold' });
    const badTarget = await call(t.app, adminToken, 'POST', '/api/v1/plans', { ...body, code: 'bad', targets: { P1: targets } });
    expect(badTarget.statusCode).toBe(400);
    expect((await call(t.app, agentToken, 'PATCH', `/api/v1/plans/${created.json().id}`, { name: 'Hacked' })).statusCode).toBe(403);
  });

  it('records a contract: its plan becomes the organisation plan; customers see only their own', async () => {
    const make = factories(t.database);
    const org = await make.organization({ planCode: 'standard' });
    const other = await make.organization();
    const contactToken = await make.token(await make.contact(org.id));
    const premium = (await call(t.app, agentToken, 'GET', '/api/v1/plans')).json().items.find((plan: { code: string }) => plan.code === 'premium');
    const today = new Date();
    const startsOn = new Date(today.getTime() - 86_400_000 * 30).toISOString().slice(0, 10);
    const endsOn = new Date(today.getTime() + 86_400_000 * 335).toISOString().slice(0, 10);
    const put = await call(t.app, adminToken, 'PUT', `/api/v1/organizations/${org.id}/contract`, { planId: premium.id, startsOn, endsOn });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ planId: premium.id, startsOn, endsOn });
    expect((await call(t.app, agentToken, 'GET', `/api/v1/organizations/${org.id}`)).json().planCode).toBe('premium');
    const mine = (await call(t.app, contactToken, 'GET', `/api/v1/organizations/${org.id}/contract`)).json();
    expect(mine.active).toMatchObject({ planId: premium.id, startsOn, endsOn });
    expect((await call(t.app, contactToken, 'GET', `/api/v1/organizations/${other.id}/contract`)).statusCode).toBe(404);
    const backwards = await call(t.app, adminToken, 'PUT', `/api/v1/organizations/${org.id}/contract`, { planId: premium.id, startsOn: endsOn, endsOn: startsOn });
    expect(backwards.json().code).toBe('CONTRACT_INVALID');
  });
});
