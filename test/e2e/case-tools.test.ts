import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, expectAccessible, newPage, screenshot, signInUi, startWorld, type World } from './support/e2e-harness.ts';

describe('case tools and queue filters in a real browser', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(() => world?.close());

  it('an agent sets team, line and tags on a case, and links a related case by its number', async () => {
    const api = await apiSession(world.baseUrl, 'bruno@casebook.example');
    const open = (await api.get('/tickets?view=all&limit=200')).body.items as Array<{ id: string; number: number; subject: string }>;
    const target = open.find((ticket) => ticket.subject === 'Slow feature queries on large layers')!;
    const related = open.find((ticket) => ticket.subject === 'Printing service memory leak')!;

    const { context, page } = await newPage(world);
    await signInUi(page, 'bruno@casebook.example');
    await page.goto(`/cases/${target.id}`);
    await page.getByRole('heading', { level: 1, name: /Slow feature queries/ }).waitFor();

    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Experts' });
    await expect.poll(async () => (await api.get(`/tickets/${target.id}`)).body.teamId).not.toBeNull();
    await page.getByLabel('Support line').selectOption('L2');
    await expect.poll(async () => (await api.get(`/tickets/${target.id}`)).body.supportLine).toBe('L2');

    await page.getByLabel('New tag').fill('Performance');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('list', { name: 'Tags' }).getByText('performance').waitFor();
    await page.getByLabel('New tag').fill('large-layers');
    await page.keyboard.press('Enter');
    await page.getByRole('list', { name: 'Tags' }).getByText('large-layers').waitFor();
    await page.getByLabel('New tag').fill('to-remove');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Remove tag to-remove' }).click();
    await expect.poll(async () => (await api.get(`/tickets/${target.id}`)).body.tags).toEqual(['performance', 'large-layers']);

    const links = page.getByRole('region', { name: 'Links' });
    await links.getByLabel('Link type').selectOption('related');
    await links.getByLabel('Case number').fill(`#${related.number}`);
    await links.getByRole('button', { name: 'Add link' }).click();
    await links.getByRole('link', { name: new RegExp(`#${related.number} Printing service memory leak`) }).waitFor();
    await links.getByLabel('Link type').selectOption('upstream-vendor');
    await links.getByLabel('Vendor reference').fill('VEND-77123');
    await links.getByLabel('Vendor case URL (optional)').fill('https://vendor.example/cases/77123');
    await links.getByRole('button', { name: 'Add link' }).click();
    await links.getByRole('link', { name: 'VEND-77123' }).waitFor();
    await expectAccessible(page, 'case with team, line, tags and links');
    await screenshot(page, 'case-tools-1-team-line-tags-links');

    // The related case shows the link back.
    await links.getByRole('link', { name: new RegExp(`#${related.number}`) }).click();
    await page.getByRole('heading', { level: 1, name: /Printing service memory leak/ }).waitFor();
    await page.getByRole('region', { name: 'Links' }).getByRole('link', { name: new RegExp(`#${target.number} Slow feature queries`) }).waitFor();
    await context.close();
  });

  it('filters the queue by tag in the URL, survives a reload, saves the view and finds it in the sidebar', async () => {
    const api = await apiSession(world.baseUrl, 'bruno@casebook.example');
    const all = (await api.get('/tickets?view=all-open&limit=200')).body.items as Array<{ id: string; subject: string }>;
    const tagged = all.find((ticket) => ticket.subject === 'PHP version upgrade request')!;
    expect((await api.patch(`/tickets/${tagged.id}`, { tags: ['php-upgrade'] })).status).toBe(200);

    const { context, page } = await newPage(world);
    await signInUi(page, 'bruno@casebook.example');
    await page.getByRole('heading', { level: 1, name: 'All open' }).waitFor();
    await page.getByLabel('Tag', { exact: true }).fill('php-upgrade');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('tag')).toBe('php-upgrade');
    await expect.poll(() => page.locator('table.queue-table tbody tr').count()).toBe(1);
    await page.reload();
    await page.locator('table.queue-table tbody tr', { hasText: 'PHP version upgrade request' }).waitFor();
    expect(await page.locator('table.queue-table tbody tr').count()).toBe(1);
    expect(await page.getByLabel('Tag', { exact: true }).inputValue()).toBe('php-upgrade');
    await page.getByLabel('Assignee', { exact: true }).selectOption({ label: 'Alice Martin' });
    await expect.poll(() => new URL(page.url()).searchParams.get('assigneeId')).toBeTruthy();
    await page.locator('table.queue-table tbody tr').first().waitFor();
    await expectAccessible(page, 'queue filtered by tag');
    await screenshot(page, 'case-tools-2-queue-filter-tag');

    await page.getByRole('button', { name: 'Save view' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save this view' });
    await dialog.getByLabel('Name').fill('PHP upgrades');
    await expectAccessible(page, 'save view dialog');
    await screenshot(page, 'case-tools-3-save-view-dialog');
    await dialog.getByRole('button', { name: 'Save view' }).click();
    await dialog.waitFor({ state: 'detached' });

    // In the sidebar, with its count; from a plain queue, a click brings the filters back.
    const saved = page.getByRole('group', { name: 'My views' }).getByRole('link', { name: /PHP upgrades/ });
    await saved.waitFor();
    await page.getByRole('link', { name: /Unassigned/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Unassigned' }).waitFor();
    await expect.poll(() => saved.locator('.count').textContent()).toBe('1');
    await saved.click();
    await expect.poll(() => new URL(page.url()).searchParams.get('tag')).toBe('php-upgrade');
    await page.locator('table.queue-table tbody tr', { hasText: 'PHP version upgrade request' }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'PHP upgrades' }).waitFor();
    expect(await saved.getAttribute('aria-current')).toBe('page');
    await screenshot(page, 'case-tools-4-saved-view');

    // Only bruno sees it.
    const alice = await apiSession(world.baseUrl, 'alice@casebook.example');
    expect((await alice.get('/views')).body.items.map((view: { name: string }) => view.name)).not.toContain('PHP upgrades');
    await context.close();
  });
});
