import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, expectAccessible, newPage, screenshot, signInUi, startWorld, type World } from './support/e2e-harness.ts';

describe('agent journey in a real browser', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(() => world?.close());

  it('a wrong password shows a clear sentence, not a blank screen', async () => {
    const { context, page } = await newPage(world);
    await page.goto('/queues/premium');
    await expectAccessible(page, 'sign-in');
    await screenshot(page, '01-sign-in');
    await page.locator('input[name="email"]').fill('alice@casebook.example');
    await page.locator('input[name="password"]').fill('not-the-password');
    await page.locator('button[type="submit"]').click();
    await page.getByRole('alert').waitFor();
    expect(await page.locator('main').innerText()).toContain('This email and password do not match');
    await screenshot(page, '02-sign-in-error');
    await context.close();
  });

  it('alice takes the oldest P1 of the premium queue, replies, adds a note and changes the status', async () => {
    const { context, page } = await newPage(world);
    await signInUi(page, 'alice@casebook.example');
    // The session cookie (Secure, HttpOnly) sticks on http://127.0.0.1: a reload stays signed in.
    await page.reload();
    await page.locator('header.topbar').waitFor();

    await page.getByRole('link', { name: /Premium/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Premium' }).waitFor();
    await page.getByLabel('Sort by').selectOption('priority');
    const firstRow = page.locator('table.queue-table tbody tr').first();
    await expect.poll(() => firstRow.locator('.badge').first().textContent()).toBe('P1');
    await expectAccessible(page, 'queue');
    await screenshot(page, '03-agent-queue-premium');

    // The keyboard: `?` lists the shortcuts.
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await screenshot(page, '04-shortcuts');
    await page.keyboard.press('Escape');

    const subject = (await firstRow.locator('a.subject-link').textContent())!.trim();
    await firstRow.locator('a.subject-link').click();
    await page.getByRole('heading', { level: 1, name: new RegExp(subject) }).waitFor();

    await page.getByRole('button', { name: 'Assign to me' }).click();
    await expect.poll(() => page.getByLabel('Assignee').evaluate((select: any) => select.selectedOptions[0].textContent as string)).toContain('Alice Martin');

    await page.getByRole('radio', { name: 'Public reply' }).click();
    await page.getByLabel('Your reply').fill('Hello Gary, Alice here: I am taking this case now.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.locator('li.message.public', { hasText: 'I am taking this case now' }).waitFor();

    await page.keyboard.press('n'); // shortcut: internal note
    await page.getByLabel('Internal note', { exact: true }).last().fill('Checked the F5 config: looks fine.');
    await page.getByRole('button', { name: 'Add note' }).click();
    const note = page.locator('li.message.internal', { hasText: 'Checked the F5 config' });
    await note.waitFor();
    expect(await note.textContent()).toContain('not visible to the customer');

    const status = page.getByLabel('Status');
    const offered = await status.locator('option').allTextContents();
    expect(offered).not.toContain('→ Closed'); // an open case cannot jump to closed
    await status.selectOption('pending-customer');
    await expect.poll(() => page.locator('.case-meta .badge').allTextContents()).toContain('Pending customer');
    // The SLA panel says why (built on demand from the history, the plan and its calendar): the
    // due time on the calendar, and the pause the status change just started.
    const slaPanel = page.getByRole('region', { name: 'SLA' });
    const whyLines = async () => {
      const clocks = slaPanel.locator('details');
      for (let index = 0; index < (await clocks.count()); index++) {
        if (!(await clocks.nth(index).evaluate((details) => (details as unknown as { open: boolean }).open))) await clocks.nth(index).locator('summary').click();
      }
      return (await slaPanel.locator('ul.why').allInnerTexts()).join('\n');
    };
    await expect.poll(whyLines).toMatch(/while pending-customer/);
    expect(await whyLines()).toMatch(/^Due \S+: \S+ (around the clock|on ).* from \S+/m);

    await page.locator('details.timeline summary').click();
    await expectAccessible(page, 'case');
    await screenshot(page, '05-agent-case');

    // What the browser did, the API confirms.
    const api = await apiSession(world.baseUrl, 'alice@casebook.example');
    const tickets = await api.get('/tickets?view=mine&limit=200');
    const taken = tickets.body.items.find((ticket: { subject: string }) => ticket.subject === subject);
    expect(taken).toMatchObject({ status: 'pending-customer', priority: 'P1', assigneeId: api.user.id });

    await page.goto(`/organizations/${taken.organizationId}`);
    await page.getByRole('heading', { level: 2, name: 'Environment profile' }).waitFor();
    await expectAccessible(page, 'organization');
    await screenshot(page, '06-organization');
    // Editing the environment profile records a new version; the history shows what changed.
    await page.getByRole('button', { name: 'Edit (new version)' }).click();
    const gisServer = page.getByRole('group', { name: 'GIS Server' });
    await gisServer.getByLabel('Version', { exact: true }).fill('11.4');
    await expectAccessible(page, 'environment editor');
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    const latest = page.locator('details.env-version').first();
    await latest.getByText('GIS Server version: 11.3 → 11.4').waitFor();
    expect(await latest.locator('summary').innerText()).toMatch(/^Version 2/);
    await screenshot(page, '06b-organization-environment-v2');

    await page.getByRole('link', { name: 'My profile' }).click();
    await page.getByRole('heading', { level: 1, name: 'My profile' }).waitFor();
    await expectAccessible(page, 'profile');
    await screenshot(page, '07-profile');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await context.close();
  });

  it('a new case appears in the queue without a reload', async () => {
    const { context, page } = await newPage(world);
    await signInUi(page, 'bruno@casebook.example');
    await page.getByRole('heading', { level: 1, name: 'All open' }).waitFor();
    const nina = await apiSession(world.baseUrl, 'nina@northwind.example');
    const created = await nina.post('/tickets', { subject: 'Live: webmail returns 500', body: 'Since 10:05.', priority: 'P2' });
    expect(created.status).toBe(201);
    await page.locator('table.queue-table', { hasText: 'Live: webmail returns 500' }).waitFor({ timeout: 10_000 });

    await context.close();
  });

  it('bulk-changes the filtered cases, and shows the workload and the breaching-soon view', async () => {
    const { context, page } = await newPage(world);
    await signInUi(page, 'bruno@casebook.example');
    await page.getByRole('heading', { level: 1, name: 'All open' }).waitFor();
    await page.getByLabel('Organisation').selectOption({ label: 'Northwind Hosting' });
    await page.getByLabel('Priority', { exact: true }).selectOption('P4');
    await expect.poll(() => page.locator('table.queue-table tbody tr').count()).toBe(2);
    await page.getByLabel('Select all cases shown').check();
    const bulk = page.getByRole('region', { name: 'Bulk change' });
    expect(await bulk.innerText()).toContain('2 selected');
    await bulk.getByLabel('Set status').selectOption('on-hold');
    await expect.poll(() => page.locator('table.queue-table tbody .badge.status-on-hold').count()).toBe(2);
    await screenshot(page, '09-bulk-on-hold');

    await page.getByRole('link', { name: 'Workload' }).click();
    await page.getByRole('heading', { level: 1, name: 'Workload' }).waitFor();
    await page.locator('table.queue-table tbody tr').first().waitFor();
    await expectAccessible(page, 'workload');
    await screenshot(page, '13-workload');

    await page.goto('/queues/breaching-soon');
    await page.getByRole('heading', { level: 1, name: 'Breaching soon' }).waitFor();
    await page.getByRole('link', { name: /Breaching soon/ }).waitFor(); // the tab shows when the SLA route exists
    await screenshot(page, '14-breaching-soon');
    await context.close();
  });

  it('collision detection: an agent sees that another is viewing, then typing on, the same case', async () => {
    const alice = await newPage(world);
    const bruno = await newPage(world);
    await signInUi(alice.page, 'alice@casebook.example');
    await signInUi(bruno.page, 'bruno@casebook.example');
    const api = await apiSession(world.baseUrl, 'bruno@casebook.example');
    const target = (await api.get('/tickets?view=all-open&limit=200')).body.items.find((ticket: { subject: string }) => ticket.subject === 'Mailbox quota exceeded');
    await bruno.page.goto(`/cases/${target.id}`);
    await bruno.page.getByRole('heading', { level: 1, name: /Mailbox quota exceeded/ }).waitFor();
    await alice.page.goto(`/cases/${target.id}`);
    await alice.page.getByRole('heading', { level: 1, name: /Mailbox quota exceeded/ }).waitFor();
    await bruno.page.getByText('Alice Martin is also viewing this case').waitFor({ timeout: 10_000 });
    await alice.page.getByLabel('Your reply').fill('Checking the quota now');
    await bruno.page.getByText('Alice Martin is typing on this case').waitFor({ timeout: 10_000 });
    await screenshot(bruno.page, '15-collision-notice');
    await alice.page.getByRole('link', { name: 'Queues' }).first().click(); // leaving the case clears the notice (a closed tab fades after 45 s)
    await bruno.page.getByText(/Alice Martin is/).waitFor({ state: 'detached', timeout: 10_000 });
    await alice.context.close();
    await bruno.context.close();
  });

  it('when the event stream cannot connect, a reconnecting banner shows until it is back', async () => {
    const { context, page } = await newPage(world);
    await page.route('**/api/v1/events/stream', (route) => route.abort('connectionreset'));
    await signInUi(page, 'bruno@casebook.example');
    const banner = page.getByRole('status').filter({ hasText: 'reconnecting' });
    await banner.waitFor();
    await screenshot(page, '08-reconnecting');
    await page.unroute('**/api/v1/events/stream');
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await context.close();
  });
});
