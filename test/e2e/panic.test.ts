import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, expectAccessible, newPage, screenshot, signInUi, startWorld, type World } from './support/e2e-harness.ts';

describe('panic button in a real browser', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(() => world?.close());

  it('a premium customer presses the panic button and an agent in another browser context sees the takeover alert', async () => {
    const gary = await apiSession(world.baseUrl, 'gary@globex.example');
    const quota = await gary.get(`/organizations/${gary.user.organizationId}/panic-quota`);
    if (quota.status === 404 && quota.body?.code === 'ROUTE_NOT_FOUND') return; // panic not deployed: nothing to test
    expect(quota.body.entitled).toBe(true);

    const agentSide = await newPage(world);
    await signInUi(agentSide.page, 'eva@casebook.example');
    await agentSide.page.getByRole('heading', { level: 1, name: 'All open' }).waitFor();

    const customerSide = await newPage(world, { width: 390, height: 844 });
    const page = customerSide.page;
    await signInUi(page, 'gary@globex.example');
    await page.getByRole('link', { name: 'Press the panic button' }).click();
    await page.getByRole('heading', { level: 1, name: 'Panic button' }).waitFor();
    await page.getByLabel('What is down?').fill('Production map server down for all users since 09:40.');
    await expectAccessible(page, 'panic form');
    await page.getByRole('button', { name: 'Press the panic button' }).click();
    const dialog = page.getByRole('dialog', { name: 'Alert the whole support organisation now?' });
    await dialog.waitFor();
    const dialogText = await dialog.innerText();
    expect(dialogText).toContain('A P1 case will be opened');
    expect(dialogText).toMatch(/presses? left|Unlimited presses/);
    await screenshot(page, '20-panic-confirm-390');
    await dialog.getByRole('button', { name: 'Yes, alert everyone now' }).click();
    await page.getByRole('heading', { name: 'The whole support organisation has been alerted' }).waitFor();
    await screenshot(page, '21-panic-done-390');

    const takeover = agentSide.page.getByRole('alertdialog', { name: /PANIC/ });
    await takeover.waitFor({ timeout: 10_000 });
    expect(await takeover.innerText()).toContain('Globex GIS pressed the panic button');
    await expectAccessible(agentSide.page, 'panic takeover');
    await screenshot(agentSide.page, '22-agent-panic-takeover');
    await takeover.getByRole('button', { name: /Acknowledge and open case/ }).click();
    await takeover.waitFor({ state: 'detached' });
    await agentSide.page.locator('.case-meta .badge.panic').waitFor();
    await customerSide.context.close();
    await agentSide.context.close();
  });
});
