/// <reference lib="dom" />
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, openSignedInBrowser, requireBrowserPrerequisites, SHOTS, startUiServer, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';
import { startSmtpSink, type Mail } from '../paging/receivers.js';

const textOf = (m: Mail) => m.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
/** The path of a link in a mail (the server's public URL may differ from where the test reaches it). */
const pathIn = (m: Mail, what: RegExp) => {
  const found = new RegExp(`https?://[^/\\s"]+(/status/[a-z0-9-]+/${what.source}\\?token=[A-Za-z0-9_%-]+)`).exec(textOf(m));
  if (!found) throw new Error(`no ${what.source} link in\n${m.raw}`);
  return found[1]!;
};

/**
 * Subscribing as a visitor does it: the public page's form at phone width (390 px) with
 * JavaScript off, the confirmation mail on a real SMTP server, the confirm button, a public
 * update arriving by mail, and the unsubscribe link; the admin sees the subscriber in the UI.
 */
describe.each(DIALECTS)('status page subscribers in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let browser: Browser;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

  beforeAll(async () => {
    requireBrowserPrerequisites();
    smtp = await startSmtpSink();
    ui = await startUiServer(dialect, { keyName: 'subscribers test', env: { FIREBREAK_SMTP_URL: smtp.url } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await smtp?.close();
  });

  const mailTo = async (addr: string, count: number) => {
    for (let i = 0; i < 100 && smtp.mails.filter((m) => m.to.includes(addr)).length < count; i += 1) await new Promise((r) => setTimeout(r, 100));
    const mine = smtp.mails.filter((m) => m.to.includes(addr));
    expect(mine.length).toBe(count);
    return mine.at(-1)!;
  };

  it('subscribe at 390 px without JavaScript → confirm → update by mail → unsubscribe', async () => {
    const { api } = ui;
    expect((await api('POST', '/services', { slug: 'checkout', name: 'Checkout' })).status).toBe(201);
    expect((await api('POST', '/status-pages', { slug: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await api('POST', '/status-pages/shop/components', { name: 'Checkout', services: ['checkout'] })).status).toBe(201);

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${ui.server.url}/status/shop`);
    const email = page.getByLabel('E-mail address');
    await email.fill('visitor@example.test');
    const box = await email.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/firebreak-subscribe-390-${dialect}.png`, fullPage: true });
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

    const confirmMail = await mailTo('visitor@example.test', 1);
    expect(confirmMail.raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    await page.goto(`${ui.server.url}${pathIn(confirmMail, /subscribe\/confirm/)}`);
    await page.getByRole('button', { name: 'Confirm subscription' }).click();
    await page.getByRole('heading', { name: 'You are subscribed' }).waitFor();

    const inc = await api('POST', '/incidents', { title: 'internal only', severity: 'SEV3', service: 'checkout' });
    expect((await api('POST', '/status-pages/shop/incidents', { incident: String(inc.body.number), name: 'Slow checkout', body: 'Payments take longer than usual.' })).status).toBe(201);
    const update = await mailTo('visitor@example.test', 2);
    expect(update.raw).toMatch(/Subject: \[Shop\] Investigating: Slow checkout/);
    expect(textOf(update)).toContain('Payments take longer than usual.');
    expect(update.raw).not.toContain('internal only');

    // The admin's view lists the subscriber, confirmed.
    const signedIn = await openSignedInBrowser(ui);
    try {
      await signedIn.page.goto(`${ui.server.url}/status-pages`);
      const list = signedIn.page.getByTestId('sp-subscriber-list');
      await list.waitFor();
      expect(await list.textContent()).toContain('visitor@example.test');
      expect(await list.textContent()).toContain('yes');
      expect(signedIn.pageErrors).toEqual([]);
    } finally {
      await signedIn.browser.close();
    }

    await page.goto(`${ui.server.url}${pathIn(update, /unsubscribe/)}`);
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    await context.close();
    expect((await api('GET', '/status-pages/shop/subscribers')).body.items).toEqual([]);
    expect((await api('POST', `/status-pages/shop/incidents/${inc.body.number}/updates`, { status: 'resolved', body: 'Fixed.' })).status).toBe(201);
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.mails.filter((m) => m.to.includes('visitor@example.test'))).toHaveLength(2);
  });
});
