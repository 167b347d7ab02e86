import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, expectAccessible, newPage, screenshot, signInUi, startWorld, type World } from './support/e2e-harness.ts';
import { expectNoRawKeys } from './support/i18n-keys.ts';

// Other journeys use Chloé and Hana (French) and the rest in English: Spanish uses Dmitri and Omar.
describe('the Spanish UI in a real browser', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(() => world?.close());

  it('follows a Spanish browser before sign-in, then the profile setting, on the agent screens with no untranslated key', async () => {
    const dmitri = await apiSession(world.baseUrl, 'dmitri@casebook.example');
    expect((await dmitri.patch(`/users/${dmitri.user.id}`, { locale: 'es' })).status).toBe(200);

    const { context, page } = await newPage(world, { locale: 'es-MX' });
    await page.goto('/');
    await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('es');
    await page.locator('input[name="email"]').fill('dmitri@casebook.example');
    await page.locator('input[name="password"]').fill('contraseña-equivocada');
    await page.locator('button[type="submit"]').click();
    await page.getByText('El correo y la contraseña no coinciden').waitFor();
    await expectNoRawKeys(page, 'inicio de sesión');

    await signInUi(page, 'dmitri@casebook.example');
    await page.getByRole('heading', { level: 1, name: 'Todos los abiertos' }).waitFor();
    await page.locator('table.queue-table tbody tr').first().waitFor();
    const queueText = await page.locator('main').innerText();
    for (const spanish of ['Míos', 'Sin asignar', 'Pendiente del cliente', 'Ordenar por', 'Prioridad', 'Responsable']) expect(queueText).toContain(spanish);
    await expectNoRawKeys(page, 'cola');
    await expectAccessible(page, 'cola (es)');
    await screenshot(page, '40-es-queue');

    await page.locator('table.queue-table a.subject-link', { hasText: 'Slow feature queries on large layers' }).click();
    await page.getByRole('heading', { level: 1, name: /Slow feature queries/ }).waitFor();
    await page.getByLabel('Su respuesta').waitFor();
    await page.getByRole('radio', { name: 'Nota interna' }).click();
    await page.getByRole('button', { name: 'Agregar nota' }).waitFor();
    await page.locator('details.timeline summary').click();
    const caseText = await page.locator('main').innerText();
    for (const spanish of ['Respuesta pública', 'Estado', 'Historial', 'Primera respuesta', 'abrió el caso']) expect(caseText).toContain(spanish);
    await expectNoRawKeys(page, 'caso');
    await expectAccessible(page, 'caso (es)');
    await screenshot(page, '41-es-case');

    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Atajos de teclado' }).waitFor();
    await expectNoRawKeys(page, 'atajos');
    await page.keyboard.press('Escape');
    await context.close();
  });

  it('renders the customer portal in Spanish with no untranslated key', async () => {
    const omar = await apiSession(world.baseUrl, 'omar@northwind.example');
    expect((await omar.patch(`/users/${omar.user.id}`, { locale: 'es' })).status).toBe(200);
    const { context, page } = await newPage(world, { locale: 'en-US', width: 390, height: 844 });
    await signInUi(page, 'omar@northwind.example');
    await page.getByRole('heading', { level: 1, name: 'Sus casos de soporte' }).waitFor();
    await page.locator('.case-card').first().waitFor();
    expect(await page.locator('main').innerText()).toContain('Resueltos y cerrados');
    await expectNoRawKeys(page, 'portal');
    await expectAccessible(page, 'portal (es)');
    await screenshot(page, '42-es-portal-390');

    await page.getByRole('link', { name: 'Abrir un caso' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Abrir un caso' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('Producción caída o inutilizable para todos');
    await expectNoRawKeys(page, 'nuevo caso');
    await expectAccessible(page, 'nuevo caso (es)');

    await page.goto('/portal');
    await page.locator('.case-card a', { hasText: 'Mailbox quota exceeded' }).click();
    await page.getByRole('heading', { level: 1, name: /Mailbox quota exceeded/ }).waitFor();
    await page.getByText('¿Le resultó útil esta respuesta?').first().waitFor();
    await expectNoRawKeys(page, 'caso en el portal');
    await screenshot(page, '43-es-portal-case-390');
    await context.close();
  });
});
