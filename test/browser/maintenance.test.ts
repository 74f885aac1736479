/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedInBrowser, requireBrowserPrerequisites, SHOTS, startUiServer, type UiServer } from '../helpers/browser.js';
import { DIALECTS } from '../helpers/dialects.js';

/**
 * Scheduling maintenance in the status page admin (real Chromium, real server process), then
 * the public page at phone width: upcoming first, in progress once started.
 */
const local = (ms: number) => {
  const d = new Date(ms);
  return new Date(ms - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

describe.each(DIALECTS)('scheduled maintenance in Chromium on %s', (dialect) => {
  let ui: UiServer;
  let signedIn: Awaited<ReturnType<typeof openSignedInBrowser>>;

  beforeAll(async () => {
    requireBrowserPrerequisites();
    ui = await startUiServer(dialect, { keyName: 'maintenance test' });
    expect((await ui.api('POST', '/status-pages', { slug: 'shop', name: 'Shop' })).status).toBe(201);
    for (const name of ['Checkout', 'Catalogue']) expect((await ui.api('POST', '/status-pages/shop/components', { name })).status).toBe(201);
    expect((await ui.api('POST', '/status-pages', { slug: 'other', name: 'Other' })).status).toBe(201);
    signedIn = await openSignedInBrowser(ui);
  });
  afterAll(async () => {
    await signedIn?.browser.close();
    await ui?.stop();
  });

  it('schedules maintenance in the admin and shows it on the public page at 390 px', async () => {
    const { page, pageErrors, browser } = signedIn;
    await page.getByRole('link', { name: 'Status pages' }).click();
    await page.getByRole('heading', { name: 'Scheduled maintenance' }).waitFor({ timeout: 5000 });
    await page.getByRole('combobox', { name: 'Page' }).selectOption('shop');
    await page.getByRole('button', { name: 'Schedule maintenance' }).click();
    const form = page.getByRole('form', { name: 'Schedule maintenance' });
    await form.getByLabel('Title').fill('Checkout database upgrade');
    await form.getByLabel('Public description (Markdown)').fill('We upgrade the **checkout** database.');
    // A start in the past is refused, naming the field.
    const start = Date.now() + 2 * 86_400_000;
    await form.getByLabel('Starts').fill(local(Date.now() - 3_600_000));
    await form.getByLabel('Ends').fill(local(start + 2 * 3_600_000));
    await form.getByRole('checkbox', { name: 'Checkout' }).check();
    await form.getByLabel('Silence alerts matching').fill('alertname="CheckoutDbDown"');
    await form.getByRole('button', { name: 'Schedule' }).click();
    await form.locator('.field-error', { hasText: 'is in the past' }).waitFor({ timeout: 5000 });
    await form.getByLabel('Starts').fill(local(start));
    await form.getByRole('button', { name: 'Schedule' }).click();
    const list = page.getByTestId('sp-maintenance-list');
    await list.getByText('Checkout database upgrade').waitFor({ timeout: 5000 });
    expect(await list.textContent()).toContain('scheduled');
    expect(await list.textContent()).toContain('silences alertname="CheckoutDbDown"');
    await page.screenshot({ path: `${SHOTS}/firebreak-maintenance-admin-${dialect}.png`, fullPage: true });

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const pub = await phone.newPage();
    await pub.goto(`${ui.server.url}/status/shop`);
    await pub.getByRole('heading', { level: 2, name: 'Scheduled maintenance' }).waitFor({ timeout: 5000 });
    expect(await pub.getByRole('heading', { level: 3, name: 'Checkout database upgrade' }).isVisible()).toBe(true);
    expect(await pub.locator('.md strong').textContent()).toBe('checkout');
    expect(await pub.getByRole('status').textContent()).toBe('All Systems Operational');
    expect(await pub.textContent('body')).not.toContain('CheckoutDbDown');

    // Started from the admin: in progress on the public page, the component under maintenance.
    await list.getByRole('button', { name: 'Start now' }).click();
    await list.getByText('in progress').waitFor({ timeout: 5000 });
    // A new URL: the public answer may be kept by the browser for its max-age (2 s).
    await pub.goto(`${ui.server.url}/status/shop?started`);
    await pub.getByRole('heading', { level: 2, name: 'Maintenance in progress' }).waitFor({ timeout: 5000 });
    expect(await pub.getByRole('status').textContent()).toBe('Service Under Maintenance');
    expect(await pub.getByText('Under maintenance', { exact: true }).isVisible()).toBe(true);
    await pub.screenshot({ path: `${SHOTS}/firebreak-maintenance-public-390-${dialect}.png`, fullPage: true });
    await phone.close();

    // Layout: nothing overflows sideways at 390 px (measured with the evaluator on).
    const measure = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const p2 = await measure.newPage();
    await p2.goto(`${ui.server.url}/status/shop`);
    expect(await p2.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await measure.close();
    const other = await (await fetch(`${ui.server.url}/status/other/api/v2/scheduled-maintenances.json`)).json() as { scheduled_maintenances: unknown[] };
    expect(other.scheduled_maintenances).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
