import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, expectAccessible, newPage, screenshot, signInUi, startWorld, type World } from './support/e2e-harness.ts';
import { E2E_ADMIN } from './support/global-setup.ts';
import { expectNoRawKeys } from './support/i18n-keys.ts';

const thisYear = new Date().getUTCFullYear();
/** A holiday file as a calendar application exports it: a yearly RRULE and a one-off day. */
const ICS = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Casebook e2e//EN',
  'BEGIN:VEVENT', 'UID:remembrance@e2e', `DTSTART;VALUE=DATE:${thisYear}1111`, `DTEND;VALUE=DATE:${thisYear}1112`, 'RRULE:FREQ=YEARLY', 'SUMMARY:Remembrance Day', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:offsite@e2e', `DTSTART;VALUE=DATE:${thisYear + 1}0612`, 'SUMMARY:Team offsite', 'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

async function openSection(page: Page, link: string, heading: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: link }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

describe('the admin area in a real browser', () => {
  let world: World;
  let tempDir: string;
  beforeAll(async () => {
    world = await startWorld();
    tempDir = mkdtempSync(join(tmpdir(), 'casebook-admin-e2e-'));
  });
  afterAll(async () => {
    await world?.close();
    rmSync(tempDir, { recursive: true, force: true });
  });

  it('is not offered to agents who are not admins', async () => {
    const { context, page } = await newPage(world);
    await signInUi(page, 'bruno@casebook.example');
    await page.getByRole('link', { name: 'Workload' }).waitFor();
    expect(await page.getByRole('link', { name: 'Administration' }).count()).toBe(0);
    await page.goto('/admin/users');
    await page.getByRole('heading', { level: 1, name: 'This page does not exist.' }).waitFor();
    await context.close();
  });

  it('an admin creates an agent and a team, edits a calendar, imports holidays, changes a plan, and reads mailboxes and panic history', async () => {
    const admin = await apiSession(world.baseUrl, E2E_ADMIN.email, E2E_ADMIN.password);
    // A panic press of a premium customer, before the admin signs in (so no live takeover covers the screens).
    const organization = await admin.post('/organizations', { name: 'Initech Cloud', planCode: 'premium' });
    expect(organization.status).toBe(201);
    const contact = await admin.post('/users', { email: 'peter@initech.example', name: 'Peter Gibbons', roles: ['customer'], organizationId: organization.body.id, password: 'initech-password-1' });
    expect(contact.status).toBe(201);
    const peter = await apiSession(world.baseUrl, 'peter@initech.example', 'initech-password-1');
    const press = await peter.post('/panic', { description: 'TPS report server down for every office.' });
    expect(press.status).toBe(201);

    // Times show in the viewer's zone: the admin works from Auckland.
    expect((await admin.patch(`/users/${admin.user.id}`, { timeZone: 'Pacific/Auckland' })).status).toBe(200);

    const { context, page } = await newPage(world);
    await signInUi(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await page.getByRole('link', { name: 'Administration' }).click();

    // Users and roles: create an agent, then move them to L3.
    await page.getByRole('heading', { level: 1, name: 'Users and roles' }).waitFor();
    await page.locator('table.queue-table tbody tr', { hasText: 'alice@casebook.example' }).waitFor();
    await page.getByLabel('Show').selectOption('contact');
    await expect.poll(() => page.locator('table.queue-table tbody').innerText()).not.toContain('alice@casebook.example');
    expect(await page.locator('table.queue-table tbody').innerText()).toContain('nina@northwind.example');
    await page.getByLabel('Show').selectOption('');
    await expectAccessible(page, 'admin users');
    await screenshot(page, '40-admin-users');
    await page.getByRole('button', { name: 'New user' }).click();
    const userDialog = page.getByRole('dialog', { name: 'New user' });
    await userDialog.getByLabel('Email', { exact: true }).fill('farah@casebook.example');
    await userDialog.getByLabel('Name', { exact: true }).fill('Farah Haddad');
    await userDialog.getByRole('checkbox', { name: 'TAM' }).check();
    await userDialog.getByLabel('Support line').selectOption('L2');
    await userDialog.getByRole('checkbox', { name: /Senior agent/ }).check();
    await userDialog.getByLabel('Initial password (optional)').fill('farah-password-2026');
    await expectAccessible(page, 'admin new user dialog');
    await screenshot(page, '41-admin-new-user');
    await userDialog.getByRole('button', { name: 'Create the user' }).click();
    await userDialog.waitFor({ state: 'detached' });
    await page.getByLabel('Search').fill('farah');
    const farahRow = page.locator('table.queue-table tbody tr', { hasText: 'farah@casebook.example' });
    await farahRow.waitFor();
    expect(await page.locator('table.queue-table tbody tr').count()).toBe(1);
    expect(await farahRow.innerText()).toContain('Agent, TAM');
    await page.getByRole('button', { name: 'Edit Farah Haddad' }).click();
    const editDialog = page.getByRole('dialog', { name: 'Edit Farah Haddad' });
    await editDialog.getByLabel('Support line').selectOption('L3');
    await editDialog.getByRole('button', { name: 'Save' }).click();
    await editDialog.waitFor({ state: 'detached' });
    await expect.poll(() => farahRow.innerText()).toContain('L3');
    const farah = (await admin.get('/users?kind=agent&limit=200')).body.items.find((user: { email: string }) => user.email === 'farah@casebook.example');
    expect(farah).toMatchObject({ name: 'Farah Haddad', roles: ['agent', 'tam'], supportLine: 'L3', senior: true, isActive: true });

    // Teams: a new team with Farah as lead, round-robin; then Alice joins it.
    await openSection(page, 'Teams', 'Teams');
    await page.getByRole('heading', { level: 2, name: 'Frontline' }).waitFor();
    await page.getByRole('button', { name: 'New team' }).click();
    const teamDialog = page.getByRole('dialog', { name: 'New team' });
    await teamDialog.getByLabel('Team name').fill('Night shift');
    await teamDialog.getByRole('checkbox', { name: /Farah Haddad/ }).check();
    await teamDialog.getByLabel('Team lead').selectOption({ label: 'Farah Haddad' });
    await teamDialog.getByLabel('Assignment of new cases').selectOption('round-robin');
    await teamDialog.getByRole('button', { name: 'Create the team' }).click();
    await teamDialog.waitFor({ state: 'detached' });
    const nightShift = page.locator('section.panel', { has: page.getByRole('heading', { name: 'Night shift' }) });
    await expect.poll(() => nightShift.innerText()).toContain('Round-robin');
    await page.getByRole('button', { name: 'Edit team Night shift' }).click();
    const editTeam = page.getByRole('dialog', { name: 'Edit team Night shift' });
    await editTeam.getByRole('checkbox', { name: /Alice Martin/ }).check();
    await editTeam.getByRole('button', { name: 'Save' }).click();
    await editTeam.waitFor({ state: 'detached' });
    await expect.poll(() => nightShift.innerText()).toContain('Alice Martin, Farah Haddad');
    await expectAccessible(page, 'admin teams');
    await screenshot(page, '42-admin-teams');
    const team = (await admin.get('/teams')).body.items.find((item: { name: string }) => item.name === 'Night shift');
    expect(team.leadId).toBe(farah.id);
    expect(team.memberIds).toHaveLength(2);
    expect((await admin.get(`/teams/${team.id}/routing`)).body.strategy).toBe('round-robin');

    // Calendars: a new Montréal calendar; Monday gets a lunch break; holidays come from an .ics file.
    await openSection(page, 'Calendars', 'Business calendars');
    await page.getByRole('link', { name: 'Toronto business hours' }).waitFor();
    await expectAccessible(page, 'admin calendars');
    await page.getByRole('button', { name: 'New calendar' }).click();
    const calendarDialog = page.getByRole('dialog', { name: 'New calendar' });
    await calendarDialog.getByLabel('Calendar name').fill('Montréal office');
    await calendarDialog.getByLabel('Time zone').selectOption('America/Toronto');
    await calendarDialog.getByRole('button', { name: 'Create and edit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Montréal office' }).waitFor();
    await page.getByLabel('Monday, block 1: closes at').fill('12:00');
    await page.getByRole('button', { name: 'Add a block to Monday' }).click();
    await expect.poll(() => page.getByLabel('Monday, block 2: opens at').inputValue()).toBe('13:00');
    await page.getByLabel('Monday, block 2: closes at').fill('17:30');
    await page.getByLabel('Tuesday, block 1: opens at').fill('18:00'); // after it closes: refused on the spot
    await page.getByText('Tuesday: a block must open before it closes.').waitFor();
    expect(await page.getByRole('button', { name: 'Save the calendar' }).isDisabled()).toBe(true);
    await page.getByLabel('Tuesday, block 1: opens at').fill('08:30');
    await page.getByRole('button', { name: 'Save the calendar' }).click();
    await page.getByText('Calendar saved.').waitFor();
    const icsFile = join(tempDir, 'holidays.ics');
    writeFileSync(icsFile, ICS);
    await page.locator('input[type="file"]').setInputFiles(icsFile);
    await page.getByText('4 holidays added.').waitFor();
    await expectAccessible(page, 'admin calendar editor');
    await screenshot(page, '43-admin-calendar');
    const calendar = (await admin.get('/calendars')).body.items.find((item: { name: string }) => item.name === 'Montréal office');
    expect(calendar.definition.timeZone).toBe('America/Toronto');
    expect(calendar.definition.week.mon).toEqual([['09:00', '12:00'], ['13:00', '17:30']]);
    expect(calendar.definition.week.tue).toEqual([['08:30', '17:00']]);
    expect(calendar.definition.holidays).toEqual([`${thisYear}-11-11`, `${thisYear + 1}-06-12`, `${thisYear + 1}-11-11`, `${thisYear + 2}-11-11`]);

    // Plans: Enterprise-lite moves to the new calendar and its P1 first response to 3 business hours.
    await openSection(page, 'Plans', 'Support plans');
    const plan = page.getByRole('form', { name: /Enterprise-lite/ });
    await plan.getByLabel('Coverage calendar').selectOption({ label: 'Montréal office' });
    expect(await plan.getByLabel('P1 First response target', { exact: true }).inputValue()).toBe('2');
    await plan.getByLabel('P1 First response target', { exact: true }).fill('3');
    expect(await plan.getByLabel('Unit of the P1 First response target').inputValue()).toBe('hours');
    await plan.getByLabel('Unit of the P3 Resolution target').selectOption('days');
    await plan.getByLabel('Warnings at (% of a target)').fill('50, 80, 95');
    await plan.getByRole('button', { name: 'Save Enterprise-lite' }).click();
    await plan.getByText('Plan saved.').waitFor();
    await expectAccessible(page, 'admin plans');
    await screenshot(page, '44-admin-plans');
    const lite = (await admin.get('/plans')).body.items.find((item: { code: string }) => item.code === 'enterprise-lite');
    expect(lite).toMatchObject({ calendarId: calendar.id, warningThresholds: [50, 80, 95] });
    expect(lite.targets.P1.firstResponse).toEqual({ minutes: 180 });
    expect(lite.targets.P3.resolution).toEqual({ days: 5 });

    // Mailboxes: create one when the mail API is deployed, else a clear notice; the dead-letter panel either way.
    await openSection(page, 'Mailboxes', 'Mailboxes');
    await page.getByRole('heading', { level: 2, name: 'Undelivered mail' }).waitFor();
    const mailApi = await admin.get('/mailboxes');
    if (mailApi.status === 404) {
      expect(mailApi.body.code).toBe('ROUTE_NOT_FOUND');
      await page.getByText('Mailboxes: not available on this server yet.').waitFor();
    } else {
      await page.getByRole('button', { name: 'New mailbox' }).click();
      const mailboxDialog = page.getByRole('dialog', { name: 'New mailbox' });
      await mailboxDialog.getByLabel('Address').fill('nightshift@casebook.example');
      await mailboxDialog.getByLabel('Display name').fill('Night shift support');
      await mailboxDialog.getByLabel('Default team').selectOption({ label: 'Night shift' });
      await mailboxDialog.getByRole('button', { name: 'Add the mailbox' }).click();
      await mailboxDialog.waitFor({ state: 'detached' });
      const row = page.locator('table.queue-table tbody tr', { hasText: 'nightshift@casebook.example' });
      await expect.poll(() => row.innerText()).toContain('Night shift');
      const created = (await admin.get('/mailboxes')).body.items.find((item: { address: string }) => item.address === 'nightshift@casebook.example');
      expect(created).toMatchObject({ name: 'Night shift support', teamId: team.id, isActive: true });
    }
    // Inbound mail that opened no case and bouncing addresses: a fresh server has none of either.
    await page.getByRole('heading', { level: 2, name: 'Mail that opened no case' }).waitFor();
    await page.getByText('Every recent mail became a case or a message.').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Bouncing addresses' }).waitFor();
    await page.getByText('No address is flagged.').waitFor();
    await expectAccessible(page, 'admin mailboxes');
    await screenshot(page, '45-admin-mailboxes');

    // Panic history: the press, its organisation, who pressed, a link to the case.
    await openSection(page, 'Panic history', 'Panic history');
    const pressRow = page.locator('table.queue-table tbody tr', { hasText: 'Initech Cloud' });
    await pressRow.waitFor();
    expect(await pressRow.innerText()).toContain('Peter Gibbons');
    const pressedAt = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Pacific/Auckland' }).format(new Date(press.body.panicEvent.createdAt));
    const spaces = (text: string) => text.replace(/\s+/g, ' ');
    expect(spaces(await pressRow.locator('time').innerText())).toBe(spaces(pressedAt));
    expect(await pressRow.getByRole('link', { name: `#${press.body.ticket.number}` }).getAttribute('href')).toBe(`/cases/${press.body.ticket.id}`);
    await expectAccessible(page, 'admin panic history');
    await screenshot(page, '46-admin-panic-history');

    // The keyboard reaches the admin navigation and each control shows where focus is.
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Teams' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Teams' }).waitFor();
    await context.close();
  });

  it('renders the calendar editor in French with no untranslated key', async () => {
    const admin = await apiSession(world.baseUrl, E2E_ADMIN.email, E2E_ADMIN.password);
    expect((await admin.patch(`/users/${admin.user.id}`, { locale: 'fr' })).status).toBe(200);
    try {
      const calendar = (await admin.get('/calendars')).body.items.find((item: { name: string }) => item.name === 'Toronto business hours');
      const { context, page } = await newPage(world, { locale: 'fr-FR' });
      await signInUi(page, E2E_ADMIN.email, E2E_ADMIN.password);
      await page.goto(`/admin/calendars/${calendar.id}`);
      await page.getByRole('heading', { level: 1, name: 'Toronto business hours' }).waitFor();
      const text = await page.locator('main').innerText();
      for (const french of ['Horaires de la semaine', 'Ouvert en continu', 'Jours fériés', 'Importer un fichier .ics', 'Enregistrer le calendrier', 'chaque année']) expect(text).toContain(french);
      await expectNoRawKeys(page, 'calendrier (fr)');
      await expectAccessible(page, 'calendrier (fr)');
      await screenshot(page, '47-admin-calendar-fr');
      await context.close();
    } finally {
      await admin.patch(`/users/${admin.user.id}`, { locale: 'en' });
    }
  });
});
