import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, killProcess, makeTempDir, startServer, type ServerProcess } from '../cli/cli-harness.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { apiSession, DEMO_PASSWORD, expectAccessible, screenshot, startWorld, type World } from './support/e2e-harness.ts';

/**
 * Mail in the browser, on a Casebook of its own with real SMTP both ways: a customer signs in with
 * an e-mailed link on a phone (the link is read from the mail the SMTP sink received), and an
 * agent reads an e-mailed message whose quoted history is folded away.
 */
const ADMIN_EMAIL = 'admin.magic@casebook.example';
const ADMIN_PASSWORD = 'magic-link-admin-password';

describe('magic-link sign-in and e-mailed messages in a real browser', () => {
  let world: World;
  let sink: SmtpSink;
  let server: ServerProcess;
  let baseUrl: string;
  let smtpPort: number;

  beforeAll(async () => {
    world = await startWorld();
    sink = await startSmtpSink();
    const port = await freePort();
    smtpPort = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = await startServer([], {
      port,
      env: { CASEBOOK_DATA_DIR: makeTempDir('casebook-e2e-magic-'), CASEBOOK_COOKIE_SECURE: '1', HOST: '127.0.0.1', CASEBOOK_SMTP_URL: sink.url, CASEBOOK_PUBLIC_URL: baseUrl, CASEBOOK_SMTP_LISTEN: `127.0.0.1:${smtpPort}`, CASEBOOK_ADMIN_EMAIL: ADMIN_EMAIL, CASEBOOK_ADMIN_PASSWORD: ADMIN_PASSWORD },
    });
  });
  afterAll(async () => {
    await world?.close();
    if (server) await killProcess(server);
    await sink?.close();
  });

  const linkMailsTo = (address: string) => sink.messages.filter((message) => message.envelope.to.includes(address) && message.parsed.subject === 'Your sign-in link for Casebook');

  const phone = async () => {
    const context = await world.browser.newContext({ baseURL: baseUrl, locale: 'en-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return { context, page };
  };

  it('a customer asks for a link, opens it from the e-mail and lands signed in on the portal; the link works once', async () => {
    const { context, page } = await phone();
    await page.goto('/');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in with a link' }).waitFor();
    await page.getByLabel('Email').fill('nina@northwind.example');
    await expectAccessible(page, 'magic-link request');
    await screenshot(page, 'magic-link-1-request-390');
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('If nina@northwind.example has a Casebook account, a sign-in link is on its way.');
    await expectAccessible(page, 'magic-link sent');
    await screenshot(page, 'magic-link-2-sent-390');

    // The demo workspace mails other people too; the customer's link is the one addressed to her.
    await expect.poll(() => linkMailsTo('nina@northwind.example').length, { timeout: 20_000 }).toBe(1);
    const mail = linkMailsTo('nina@northwind.example')[0];
    expect(mail!.envelope.to).toEqual(['nina@northwind.example']);
    expect(mail!.parsed.subject).toBe('Your sign-in link for Casebook');
    const link = new RegExp(`${baseUrl.replace(/[.:/]/g, '\\$&')}/auth/magic/[A-Za-z0-9_%-]+`).exec(mail!.parsed.text ?? '')?.[0];
    expect(link, mail!.parsed.text).toBeDefined();

    await page.goto(link!);
    await page.waitForURL(/\/portal$/);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    const me = await page.evaluate(() => fetch('/api/v1/me').then((response) => response.json()));
    expect(me).toMatchObject({ email: 'nina@northwind.example', kind: 'contact' });
    await expectAccessible(page, 'portal after magic link');
    await screenshot(page, 'magic-link-3-portal-390');

    // The same link a second time (another browser): refused with a clear sentence and a way forward.
    const second = await phone();
    await second.page.goto(link!);
    await second.page.getByRole('heading', { level: 1, name: 'This link did not sign you in' }).waitFor();
    expect(await second.page.getByRole('alert').innerText()).toContain('already been used');
    await expectAccessible(second.page, 'magic link used');
    await screenshot(second.page, 'magic-link-4-used-390');
    await second.page.getByRole('button', { name: 'Ask for a new link' }).click();
    await second.page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await second.context.close();
    await context.close();
  });

  it('an unknown address gets the same confirmation and no mail', async () => {
    const { context, page } = await phone();
    await page.goto('/');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByLabel('Email').fill('nobody-here@northwind.example');
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
    await new Promise((resolve) => setTimeout(resolve, 2500)); // the sender polls every second
    expect(sink.messages.filter((message) => message.envelope.to.includes('nobody-here@northwind.example'))).toEqual([]);
    await context.close();
  });

  it('an e-mailed message shows its quoted history only when the agent asks for it', async () => {
    const subject = `Tiles blank after the restart ${Date.now()}`;
    const raw = [
      'From: Nina Patel <nina@northwind.example>',
      'To: Support <support@casebook.local>',
      `Subject: ${subject}`,
      `Message-ID: <quoted-${Date.now()}@northwind.example>`,
      'Date: Mon, 23 Nov 2026 09:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The tiles are still blank after the restart you suggested.',
      '',
      'On Sun, 22 Nov 2026 at 17:02, Casebook Support <support@casebook.local> wrote:',
      '> Please restart the tile service and tell us if the map comes back.',
      '> Kind regards, the support team',
      '',
    ].join('\r\n');
    const admin = await apiSession(baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const teams = (await admin.get('/teams')).body.items as Array<{ id: string; name: string }>;
    const mailbox = await admin.post('/mailboxes', { address: 'support@casebook.local', name: 'Casebook Support', teamId: teams.find((team) => team.name === 'Frontline')!.id });
    expect(mailbox.status, JSON.stringify(mailbox.body)).toBe(201);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, name: 'mta.northwind.example' });
    await transport.sendMail({ envelope: { from: 'nina@northwind.example', to: ['support@casebook.local'] }, raw });
    transport.close();

    const bruno = await apiSession(baseUrl, 'bruno@casebook.example', DEMO_PASSWORD);
    let ticketId: string | undefined;
    await expect
      .poll(async () => (ticketId = (await bruno.get('/tickets?view=all&limit=200')).body.items.find((ticket: { subject: string }) => ticket.subject === subject)?.id), { timeout: 20_000 })
      .toBeDefined();
    const messages = (await bruno.get(`/tickets/${ticketId}/messages`)).body.items;
    expect(messages[0].quotedBody).toContain('Please restart the tile service');

    const context = await world.browser.newContext({ baseURL: baseUrl, locale: 'en-US', viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/');
    await page.locator('input[name="email"]').fill('bruno@casebook.example');
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.locator('header.topbar').waitFor();
    await page.goto(`/cases/${ticketId}`);
    const message = page.locator('li.message', { hasText: 'still blank after the restart' });
    await message.waitFor();
    const quoted = message.locator('blockquote');
    expect(await quoted.isVisible()).toBe(false);
    const toggle = message.getByRole('button', { name: 'Show quoted text' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    await quoted.getByText('Please restart the tile service').waitFor();
    expect(await message.getByRole('button', { name: 'Hide quoted text' }).getAttribute('aria-expanded')).toBe('true');
    await expectAccessible(page, 'case with quoted text');
    await screenshot(page, 'magic-link-5-quoted-text');
    await context.close();
  });
});
