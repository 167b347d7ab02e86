import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, expectAccessible, newPage, screenshot, signInUi, startWorld, type World } from './support/e2e-harness.ts';
import { expectNoRawKeys } from './support/i18n-keys.ts';

describe('the French UI in a real browser', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(() => world?.close());

  it('follows the browser before sign-in, then the user setting, through the agent flow with no untranslated key', async () => {
    // Chloé works in French: her profile says so.
    const chloe = await apiSession(world.baseUrl, 'chloe@casebook.example');
    expect((await chloe.patch(`/users/${chloe.user.id}`, { locale: 'fr' })).status).toBe(200);

    const { context, page } = await newPage(world, { locale: 'fr-FR' });
    await page.goto('/');
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('fr');
    await page.locator('input[name="email"]').fill('chloe@casebook.example');
    await page.locator('input[name="password"]').fill('mauvais-mot-de-passe');
    await page.locator('button[type="submit"]').click();
    await page.getByText('Cet e-mail et ce mot de passe ne correspondent pas').waitFor();
    await expectNoRawKeys(page, 'connexion');

    await signInUi(page, 'chloe@casebook.example');
    await page.getByRole('heading', { level: 1, name: 'Toutes ouvertes' }).waitFor();
    await page.getByRole('link', { name: /Premium/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Premium' }).waitFor();
    await page.locator('table.queue-table tbody tr').first().waitFor();
    const queueText = await page.locator('main').innerText();
    for (const french of ['Les miennes', 'Non attribuées', 'En attente du client', 'Trier par', 'Priorité', 'Responsable']) expect(queueText).toContain(french);
    await expectNoRawKeys(page, 'file premium');
    await expectAccessible(page, 'file premium (fr)');
    await screenshot(page, '30-fr-queue');

    await page.locator('table.queue-table a.subject-link', { hasText: 'Upgrade path from 10.9 to 11.3' }).click();
    await page.getByRole('heading', { level: 1, name: /Upgrade path/ }).waitFor();
    await page.getByLabel('Votre réponse').fill('Bonjour Gary, voici le chemin de mise à niveau recommandé.');
    await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await page.locator('li.message.public', { hasText: 'chemin de mise à niveau' }).waitFor();
    await page.getByRole('radio', { name: 'Note interne' }).click();
    await page.getByRole('button', { name: 'Ajouter la note' }).waitFor();
    await page.getByLabel('Statut').selectOption('pending-customer');
    await expect.poll(() => page.locator('.case-meta .badge').allTextContents()).toContain('En attente du client');
    await page.locator('details.timeline summary').click();
    const caseText = await page.locator('main').innerText();
    for (const french of ['Réponse publique', 'Environnement à l’ouverture de la demande', 'Première réponse', 'Configuration particulière', 'Historique', 'M’attribuer la demande']) expect(caseText).toContain(french);
    await expectNoRawKeys(page, 'demande');
    await expectAccessible(page, 'demande (fr)');
    await screenshot(page, '31-fr-case');

    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Raccourcis clavier' }).waitFor();
    await expectNoRawKeys(page, 'raccourcis');
    await page.keyboard.press('Escape');
    await context.close();
  });

  it('renders the customer portal in French with no untranslated key', async () => {
    const hana = await apiSession(world.baseUrl, 'hana@globex.example');
    expect((await hana.patch(`/users/${hana.user.id}`, { locale: 'fr' })).status).toBe(200);
    const { context, page } = await newPage(world, { locale: 'en-US', width: 390, height: 844 });
    await signInUi(page, 'hana@globex.example');
    await page.getByRole('heading', { level: 1, name: 'Vos demandes de support' }).waitFor();
    await page.locator('.case-card').first().waitFor();
    await expectNoRawKeys(page, 'portail');
    await screenshot(page, '32-fr-portal-390');
    await page.getByRole('link', { name: 'Ouvrir une demande' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Ouvrir une demande' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('La production est arrêtée');
    await expectNoRawKeys(page, 'nouvelle demande');
    await expectAccessible(page, 'nouvelle demande (fr)');
    await page.locator('.case-cards, main').first().waitFor();
    await page.goto('/portal');
    await page.locator('.case-card a', { hasText: 'Geocoding service returns 502' }).click();
    await page.getByRole('heading', { level: 1, name: /Geocoding/ }).waitFor();
    await page.getByText('Cette réponse vous a-t-elle aidé ?').first().waitFor();
    await expectNoRawKeys(page, 'demande portail');
    await screenshot(page, '33-fr-portal-case-390');
    await context.close();
  });
});
