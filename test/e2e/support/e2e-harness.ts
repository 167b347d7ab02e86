import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { REPO_ROOT } from '../../cli/cli-harness.ts';

/**
 * Browser journeys against the real Casebook the global setup started (support/global-setup.ts),
 * driven by Debian's Chromium through playwright-core (no browser download).
 */
export const CHROMIUM = process.env.CASEBOOK_CHROMIUM ?? '/usr/bin/chromium';
export const DEMO_PASSWORD = 'casebook-demo-2026';
export const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'e2e');

export type World = { browser: Browser; baseUrl: string; close(): Promise<void> };

export async function startWorld(): Promise<World> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    browser,
    baseUrl: inject('casebookUrl'),
    async close() {
      await browser.close().catch(() => {});
    },
  };
}

export async function newPage(world: World, options: { locale?: string; width?: number; height?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await world.browser.newContext({
    baseURL: world.baseUrl,
    locale: options.locale ?? 'en-US',
    viewport: { width: options.width ?? 1280, height: options.height ?? 860 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

export async function signInUi(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/');
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.locator('header.topbar').waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core in the page: no violation of serious or critical impact. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.addScriptTag({ path: AXE_SOURCE });
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((node) => node.target.join(' ')) })))`,
  )) as Array<{ id: string; impact: string; help: string; targets: string[] }>;
  expect(violations, `axe on ${screen}`).toEqual([]);
}

/** A session through the API (cookie + CSRF), for the other side of a journey. */
export async function apiSession(baseUrl: string, email: string, password = DEMO_PASSWORD) {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { user: { id: string; organizationId: string | null }; csrfToken: string };
  const cookie = response.headers.getSetCookie().map((line) => line.split(';')[0]!).join('; ');
  const send = async (method: string, path: string, payload?: unknown) => {
    const result = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': body.csrfToken, ...(payload !== undefined && { 'content-type': 'application/json' }) },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    return { status: result.status, body: (await result.json().catch(() => null)) as any };
  };
  return { user: body.user, get: (path: string) => send('GET', path), post: (path: string, payload: unknown) => send('POST', path, payload), patch: (path: string, payload: unknown) => send('PATCH', path, payload) };
}
