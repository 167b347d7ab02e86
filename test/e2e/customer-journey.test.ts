import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, expectAccessible, newPage, screenshot, signInUi, startWorld, type World } from './support/e2e-harness.ts';

describe('customer portal journey in a real browser (390 px phone)', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(() => world?.close());

  it('gary opens a case, sees the agent reply appear live, rates it and closes the case', async () => {
    const { context, page } = await newPage(world, { width: 390, height: 844 });
    await signInUi(page, 'gary@globex.example');
    await page.getByRole('heading', { level: 1, name: 'Your support cases' }).waitFor();
    await page.locator('.case-card').first().waitFor();
    await expectAccessible(page, 'portal home');
    await screenshot(page, '10-portal-home-390');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    await page.getByRole('link', { name: 'Open a case' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Open a case' }).waitFor();
    await page.getByLabel('Subject', { exact: true }).fill('Exports to GeoPackage fail with a timeout');
    await page.getByLabel('Product', { exact: true }).selectOption('GIS Server');
    await page.getByRole('radio', { name: /P2 — High/ }).check();
    expect(await page.locator('fieldset.priority-choice').innerText()).toContain('A major function is broken');
    await page.getByLabel('Description', { exact: true }).fill('Since the 11.3 patch, exports over 2 GB time out after 60 s.');
    await expectAccessible(page, 'new case');
    await screenshot(page, '11-portal-new-case-390');
    await page.getByRole('button', { name: 'Open the case' }).click();
    await page.getByRole('heading', { level: 1, name: /Exports to GeoPackage fail/ }).waitFor();
    const ticketId = page.url().split('/').pop()!;

    // The agent answers through the API; the portal shows it without a reload (server-sent events).
    const agent = await apiSession(world.baseUrl, 'dmitri@casebook.example');
    const reply = await agent.post(`/tickets/${ticketId}/messages`, { body: 'Please raise the export timeout to 600 s in the admin console.' });
    expect(reply.status).toBe(201);
    const note = await agent.post(`/tickets/${ticketId}/messages`, { body: 'SECRET internal: known bug BUG-4411.', internal: true });
    expect(note.status).toBe(201);
    const answer = page.locator('li.message', { hasText: 'raise the export timeout' });
    await answer.waitFor({ timeout: 10_000 });
    expect(await page.locator('main').innerText()).not.toContain('SECRET internal');

    await answer.getByRole('button', { name: /Good/ }).click();
    await answer.getByLabel('Comment (optional)').fill('Worked right away, thanks!');
    await expectAccessible(page, 'portal case');
    await answer.getByRole('button', { name: 'Send my rating' }).click();
    await answer.getByText('You rated this answer good.').waitFor();
    await screenshot(page, '12-portal-case-rated-390');

    const ratings = await agent.get(`/tickets/${ticketId}/ratings`);
    expect(ratings.body.items).toEqual([expect.objectContaining({ messageId: reply.body.id, rating: 'good', comment: 'Worked right away, thanks!' })]);

    // A reply with an attachment (the file input; dropping files on the composer does the same).
    await page.locator('form.composer input[type="file"]').setInputFiles({ name: 'export-log.txt', mimeType: 'text/plain', buffer: Buffer.from('export timed out after 60 s\n') });
    await page.locator('form.composer .attached', { hasText: 'export-log.txt' }).waitFor();
    await page.getByLabel('Your reply').fill('Here is the export log.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    const withFile = page.locator('li.message', { hasText: 'Here is the export log.' });
    await withFile.getByRole('link', { name: /export-log\.txt/ }).waitFor();
    const href = await withFile.getByRole('link', { name: /export-log\.txt/ }).getAttribute('href');
    expect(await page.evaluate(`fetch(${JSON.stringify(href)}).then((response) => response.text())`)).toBe('export timed out after 60 s\n');

    await page.getByRole('button', { name: /close the case/ }).click();
    await expect.poll(async () => (await agent.get(`/tickets/${ticketId}`)).body.status).toBe('solved');
    await page.getByRole('button', { name: 'Reopen the case' }).waitFor();
    await context.close();
  });
});
